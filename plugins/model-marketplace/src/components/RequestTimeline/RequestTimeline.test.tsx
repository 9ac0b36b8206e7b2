import { screen, within } from '@testing-library/react';
import { renderInTestApp, TestApiProvider } from '@backstage/test-utils';
import { modelMarketplaceApiRef } from '../../api';
import { fakeModelMarketplaceApi, modelRequest } from '../../testing';
import { RequestTimeline } from './RequestTimeline';

function renderTimeline(api: ReturnType<typeof fakeModelMarketplaceApi>) {
  return renderInTestApp(
    <TestApiProvider apis={[[modelMarketplaceApiRef, api]]}>
      <RequestTimeline requestId="r1" />
    </TestApiProvider>,
  );
}

describe('RequestTimeline', () => {
  it('names services and other actors in words', async () => {
    const api = fakeModelMarketplaceApi({
      getRequest: jest.fn().mockResolvedValue({
        ...modelRequest('r1', { status: 'deployed' }),
        timeline: [
          {
            action: 'approved',
            fromStatus: 'pending',
            toStatus: 'approved',
            actor: 'plugin:model-marketplace/auto-approve',
            at: '2026-11-20T10:00:00Z',
          },
          {
            action: 'deployed',
            fromStatus: 'approved',
            toStatus: 'deployed',
            actor: 'scaffolder',
            at: '2026-11-20T11:00:00Z',
          },
        ],
      }),
    });
    await renderTimeline(api);
    const entries = within(
      await screen.findByLabelText('Timeline'),
    ).getAllByRole('listitem');
    expect(entries.map(e => e.querySelector('p')?.textContent)).toEqual([
      'approved by the model-marketplace service',
      'deployed by scaffolder',
    ]);
    expect(api.getRequest).toHaveBeenCalledWith('r1');
  });

  it('shows why the timeline could not be read', async () => {
    const api = fakeModelMarketplaceApi({
      getRequest: jest.fn().mockRejectedValue(new Error('request r1 is gone')),
    });
    await renderTimeline(api);
    expect(
      (await screen.findAllByText(/request r1 is gone/))[0],
    ).toBeInTheDocument();
    expect(screen.queryByLabelText('Timeline')).toBeNull();
  });
});
