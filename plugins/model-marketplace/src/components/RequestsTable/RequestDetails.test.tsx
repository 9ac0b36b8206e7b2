import { screen } from '@testing-library/react';
import { renderInTestApp, TestApiProvider } from '@backstage/test-utils';
import type { ModelRequest } from '@aic/plugin-model-marketplace-common';
import { modelMarketplaceApiRef } from '../../api';
import { fakeModelMarketplaceApi, modelRequest } from '../../testing';
import { RequestDetails } from './RequestDetails';

async function renderDetails(request: ModelRequest) {
  const api = fakeModelMarketplaceApi({
    getRequest: jest.fn().mockResolvedValue({
      ...request,
      timeline: [
        {
          action: 'revoked',
          actor: 'plugin:model-marketplace/reconciler',
          toStatus: 'revoked',
          at: '2026-11-22T09:00:00Z',
        },
      ],
    }),
  });
  await renderInTestApp(
    <TestApiProvider apis={[[modelMarketplaceApiRef, api]]}>
      <RequestDetails request={request} />
    </TestApiProvider>,
  );
  return api;
}

describe('RequestDetails', () => {
  it('names no one when the decider and revoker are unknown, and words the answers', async () => {
    const api = await renderDetails(
      modelRequest('r1', {
        status: 'revoked',
        decisionComment: 'Fine for the pilot',
        answers: { 'handles-personal-data': false, 'eu-only': true, why: 'x' },
      }),
    );
    expect(
      screen.getByText('Decision by an approver: “Fine for the pilot”', {
        normalizer: s => s.replace(/\s+/g, ' ').trim(),
      }),
    ).toBeInTheDocument();
    // no date and no reason: the sentence ends after who revoked it
    expect(
      screen.getByText('Access revoked by an approver', {
        normalizer: s => s.replace(/\s+/g, ' ').trim(),
      }),
    ).toBeInTheDocument();
    expect(screen.getByLabelText('Answers').textContent).toBe(
      'handles-personal-data:noeu-only:yeswhy:x',
    );
    // the timeline of the request, a service named as such
    expect(
      await screen.findByText('by the model-marketplace service', {
        exact: false,
      }),
    ).toBeInTheDocument();
    expect(api.getRequest).toHaveBeenCalledWith('r1');
  });

  it('shows the date and reason of a revocation', async () => {
    await renderDetails(
      modelRequest('r2', {
        status: 'revoked',
        revokedAt: '2026-11-22T09:00:00Z',
        revokeReason: 'The pilot ended',
      }),
    );
    const when = new Date('2026-11-22T09:00:00Z').toLocaleDateString();
    expect(
      screen.getByText(
        `Access revoked by an approver on ${when}: “The pilot ended”`,
        { normalizer: s => s.replace(/\s+/g, ' ').trim() },
      ),
    ).toBeInTheDocument();
    expect(screen.queryByLabelText('Answers')).not.toBeInTheDocument();
  });
});
