import { screen, waitFor, within } from '@testing-library/react';
import { setupUser } from '../../__testUtils__/setupUser';
import { Route, Routes, useLocation } from 'react-router-dom';
import {
  mockApis,
  renderInTestApp,
  TestApiProvider,
} from '@backstage/test-utils';
import { alertApiRef, identityApiRef } from '@backstage/core-plugin-api';
import { entityRouteRef } from '@backstage/plugin-catalog-react';
import { modelMarketplaceApiRef } from '../../api';
import { fakeModelMarketplaceApi, modelRequest } from '../../testing';
import { RequestsView } from './RequestsView';

const Location = () => {
  const location = useLocation();
  return <output aria-label="location">{location.search}</output>;
};

async function renderView(
  api: ReturnType<typeof fakeModelMarketplaceApi>,
  viewAs: 'requester' | 'approver',
  route = '/models/requests',
) {
  return renderInTestApp(
    <TestApiProvider
      apis={[
        [modelMarketplaceApiRef, api],
        [alertApiRef, { post: jest.fn(), alert$: jest.fn() }],
        [
          identityApiRef,
          mockApis.identity({ userEntityRef: 'user:default/guest' }),
        ],
      ]}
    >
      <Routes>
        <Route
          path="/models/requests"
          element={
            <>
              <RequestsView viewAs={viewAs} />
              <Location />
            </>
          }
        />
      </Routes>
    </TestApiProvider>,
    {
      routeEntries: [route],
      mountedRoutes: { '/catalog/:namespace/:kind/:name': entityRouteRef },
    },
  );
}

const mine = [
  modelRequest('p1', { status: 'pending' }),
  modelRequest('p2', {
    status: 'pending',
    team: 'group:default/team-search',
  }),
  modelRequest('a1', { status: 'approved' }),
  modelRequest('r1', {
    status: 'rejected',
    team: 'group:default/team-search',
  }),
];

describe('RequestsView', () => {
  it('filters my requests by status and team, with counts', async () => {
    const api = fakeModelMarketplaceApi({
      listRequests: jest
        .fn()
        .mockResolvedValue({ items: mine, totalItems: mine.length }),
    });
    await renderView(api, 'requester');
    await screen.findByTestId('request-p1');
    expect(api.listRequests).toHaveBeenCalledWith({
      role: 'requester',
      model: undefined,
      status: undefined,
    });
    const status = screen.getByRole('group', { name: 'Status' });
    expect(
      within(status)
        .getAllByRole('button')
        .map(b => b.textContent),
    ).toEqual(['Pending (2)', 'Approved (1)', 'Rejected (1)', 'All (4)']);

    // The bug of issue 11: Pending must list the pending requests.
    await setupUser().click(
      within(status).getByRole('button', { name: 'Pending (2)' }),
    );
    expect(await screen.findByTestId('request-p2')).toBeInTheDocument();
    expect(screen.getByTestId('request-p1')).toBeInTheDocument();
    expect(screen.queryByTestId('request-a1')).toBeNull();
    expect(
      screen.queryByText('You have not requested any model yet'),
    ).toBeNull();
    expect(screen.getByLabelText('location')).toHaveTextContent(
      '?status=pending',
    );

    await setupUser().selectOptions(
      screen.getByRole('combobox', { name: 'Team' }),
      'group:default/team-search',
    );
    await waitFor(() => expect(screen.queryByTestId('request-p1')).toBeNull());
    expect(screen.getByTestId('request-p2')).toBeInTheDocument();
    // counts follow the other filter
    expect(
      within(status)
        .getAllByRole('button')
        .map(b => b.textContent),
    ).toEqual(['Pending (1)', 'Rejected (1)', 'All (2)']);
    expect(
      screen.getByRole('option', { name: 'team-assistants (1)' }),
    ).toBeInTheDocument();
  });

  it('says there is nothing pending, not that nothing was requested', async () => {
    const api = fakeModelMarketplaceApi({
      listRequests: jest.fn().mockResolvedValue({
        items: [modelRequest('a1', { status: 'approved' })],
        totalItems: 1,
      }),
    });
    await renderView(api, 'requester', '/models/requests?status=pending');
    expect(
      await screen.findByText('No pending requests. 1 request in all.'),
    ).toBeInTheDocument();
    expect(
      screen.queryByText('You have not requested any model yet'),
    ).toBeNull();
  });

  it('says when nothing was requested at all', async () => {
    const api = fakeModelMarketplaceApi({
      listRequests: jest.fn().mockResolvedValue({ items: [], totalItems: 0 }),
    });
    await renderView(api, 'requester');
    expect(
      await screen.findByText('You have not requested any model yet'),
    ).toBeInTheDocument();
  });

  it('shows approvers the pending requests first', async () => {
    const api = fakeModelMarketplaceApi({
      listRequests: jest
        .fn()
        .mockResolvedValue({ items: mine, totalItems: mine.length }),
    });
    await renderView(api, 'approver');
    await screen.findByTestId('request-p1');
    expect(screen.queryByTestId('request-a1')).toBeNull();
    expect(api.listRequests).toHaveBeenCalledWith({
      role: 'approver',
      model: undefined,
      status: undefined,
    });
  });

  it('opens the request a notification links to, whatever its status', async () => {
    const api = fakeModelMarketplaceApi({
      listRequests: jest
        .fn()
        .mockResolvedValue({ items: mine, totalItems: mine.length }),
      getRequest: jest.fn().mockResolvedValue({
        ...mine[2],
        timeline: [
          {
            action: 'approved',
            actor: 'user:default/jonas.weber',
            toStatus: 'approved',
            at: '2026-11-30T10:00:00Z',
            comment: 'Go ahead',
          },
        ],
      }),
    });
    await renderView(api, 'approver', '/models/requests?request=a1');
    const row = await screen.findByTestId('request-a1');
    expect(row).toHaveAttribute('aria-current', 'true');
    expect(
      within(row).getByRole('button', { name: 'Hide timeline' }),
    ).toBeInTheDocument();
    const timeline = await screen.findByRole('list', { name: 'Timeline' });
    expect(timeline).toHaveTextContent('approved by jonas.weber');
    expect(api.getRequest).toHaveBeenCalledWith('a1');
  });
});
