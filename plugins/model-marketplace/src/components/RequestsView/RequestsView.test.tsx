import { screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { renderInTestApp, TestApiProvider } from '@backstage/test-utils';
import { alertApiRef } from '@backstage/core-plugin-api';
import { entityRouteRef } from '@backstage/plugin-catalog-react';
import { modelMarketplaceApiRef } from '../../api';
import { fakeModelMarketplaceApi } from '../../testing';
import { RequestsView } from './RequestsView';

describe('RequestsView', () => {
  it('shows approvers the pending requests first, and all on demand', async () => {
    const api = fakeModelMarketplaceApi({
      listRequests: jest.fn().mockResolvedValue({ items: [], totalItems: 0 }),
    });
    await renderInTestApp(
      <TestApiProvider
        apis={[
          [modelMarketplaceApiRef, api],
          [alertApiRef, { post: jest.fn(), alert$: jest.fn() }],
        ]}
      >
        <RequestsView viewAs="approver" />
      </TestApiProvider>,
      { mountedRoutes: { '/catalog/:namespace/:kind/:name': entityRouteRef } },
    );
    expect(
      await screen.findByText('Nothing waits for your decision'),
    ).toBeInTheDocument();
    expect(api.listRequests).toHaveBeenCalledWith({
      role: 'approver',
      model: undefined,
      status: ['pending'],
    });
    await userEvent.click(screen.getByRole('button', { name: 'All' }));
    await waitFor(() =>
      expect(api.listRequests).toHaveBeenLastCalledWith({
        role: 'approver',
        model: undefined,
        status: undefined,
      }),
    );
  });
});
