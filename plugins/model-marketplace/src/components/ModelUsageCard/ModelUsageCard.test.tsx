import { screen, within } from '@testing-library/react';
import { renderInTestApp, TestApiProvider } from '@backstage/test-utils';
import { entityRouteRef } from '@backstage/plugin-catalog-react';
import { modelMarketplaceApiRef } from '../../api';
import { fakeModelMarketplaceApi } from '../../testing';
import { ModelUsageCard } from './ModelUsageCard';

async function renderCard(api: ReturnType<typeof fakeModelMarketplaceApi>) {
  await renderInTestApp(
    <TestApiProvider apis={[[modelMarketplaceApiRef, api]]}>
      <ModelUsageCard modelRef="model:research/jina" />
    </TestApiProvider>,
    { mountedRoutes: { '/catalog/:namespace/:kind/:name': entityRouteRef } },
  );
}

describe('ModelUsageCard', () => {
  it('lists the teams that use the model with their counts', async () => {
    const api = fakeModelMarketplaceApi({
      getModelUsage: jest.fn().mockResolvedValue({
        model: 'model:research/jina',
        teams: [
          {
            team: 'group:default/team-search',
            approvedRequests: 1,
            deployments: 2,
          },
          {
            team: 'group:default/team-assistants',
            approvedRequests: 1,
            deployments: 0,
          },
        ],
        totals: { teams: 2, approvedRequests: 2, deployments: 2 },
      }),
    });
    await renderCard(api);
    expect(
      await screen.findByText(
        '2 teams · 2 live deployments · 2 approved requests',
      ),
    ).toBeInTheDocument();
    const search = screen.getByText('team-search').closest('tr')!;
    expect(
      within(search)
        .getAllByRole('cell')
        .map(c => c.textContent),
    ).toEqual(['team-search', '2', '1']);
    expect(screen.getByText('team-search').closest('a')).toHaveAttribute(
      'href',
      '/catalog/default/group/team-search',
    );
    expect(api.getModelUsage).toHaveBeenCalledWith('model:research/jina');
  });

  it('says when nobody uses the model yet, and shows errors', async () => {
    const api = fakeModelMarketplaceApi({
      getModelUsage: jest.fn().mockResolvedValue({
        model: 'model:research/jina',
        teams: [],
        totals: { teams: 0, approvedRequests: 0, deployments: 0 },
      }),
    });
    await renderCard(api);
    expect(await screen.findByText(/No team uses this model yet/)).toBeTruthy();
  });

  it('shows why usage could not be loaded', async () => {
    const api = fakeModelMarketplaceApi({
      getModelUsage: jest.fn().mockRejectedValue(new Error('backend down')),
    });
    await renderCard(api);
    expect((await screen.findAllByText(/backend down/))[0]).toBeTruthy();
  });
});
