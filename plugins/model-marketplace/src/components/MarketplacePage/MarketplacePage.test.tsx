import { screen } from '@testing-library/react';
import { renderInTestApp, TestApiProvider } from '@backstage/test-utils';
import { entityRouteRef } from '@backstage/plugin-catalog-react';
import { modelMarketplaceApiRef } from '../../api';
import {
  fakeModelMarketplaceApi,
  listResponse,
  modelSummary,
} from '../../testing';
import { setupUser } from '../../__testUtils__/setupUser';
import { MarketplacePage } from './MarketplacePage';

jest.setTimeout(60_000);

function renderPage(
  api: ReturnType<typeof fakeModelMarketplaceApi>,
  props: Parameters<typeof MarketplacePage>[0] = {},
) {
  return renderInTestApp(
    <TestApiProvider apis={[[modelMarketplaceApiRef, api]]}>
      <MarketplacePage {...props} />
    </TestApiProvider>,
    { mountedRoutes: { '/catalog/:namespace/:kind/:name': entityRouteRef } },
  );
}

describe('MarketplacePage', () => {
  it('draws its own header and opens on Browse', async () => {
    const api = fakeModelMarketplaceApi({
      listModels: jest
        .fn()
        .mockResolvedValue(listResponse([modelSummary('llama-3-1-8b')])),
    });
    await renderPage(api);
    expect(await screen.findByText('Llama 3 1 8b')).toBeInTheDocument();
    expect(screen.getByText('Models', { selector: 'h1' })).toBeInTheDocument();
    expect(
      screen.getByText(
        'Find, compare and request the AI models your teams can run',
      ),
    ).toBeInTheDocument();
    expect(screen.getByRole('tab', { name: 'Browse' })).toHaveAttribute(
      'aria-selected',
      'true',
    );
  });

  it('takes its title and subtitle and switches tabs', async () => {
    const api = fakeModelMarketplaceApi({
      listModels: jest.fn().mockResolvedValue(listResponse([])),
      listMetrics: jest
        .fn()
        .mockRejectedValue(new Error('metrics are unavailable')),
    });
    await renderPage(api, { title: 'AI models', subtitle: 'Our catalogue' });
    expect(
      await screen.findByText('AI models', { selector: 'h1' }),
    ).toBeInTheDocument();
    expect(screen.getByText('Our catalogue')).toBeInTheDocument();

    await setupUser().click(screen.getByRole('tab', { name: 'Benchmarks' }));
    // The Benchmarks view loads and tells why it has nothing to show.
    expect(
      (await screen.findAllByText(/metrics are unavailable/))[0],
    ).toBeInTheDocument();
    expect(screen.getByRole('tab', { name: 'Benchmarks' })).toHaveAttribute(
      'aria-selected',
      'true',
    );
  });
});
