import { screen, within } from '@testing-library/react';
import { Route, Routes, useLocation } from 'react-router-dom';
import { renderInTestApp, TestApiProvider } from '@backstage/test-utils';
import { catalogApiRef, entityRouteRef } from '@backstage/plugin-catalog-react';
import { modelMarketplaceApiRef } from '../../api';
import {
  fakeModelMarketplaceApi,
  listResponse,
  modelSummary,
} from '../../testing';
import { setupUser } from '../../__testUtils__/setupUser';
import { MarketplaceContent } from './MarketplaceContent';

// Tabs load their code lazily; a busy machine needs generous bounds.
jest.setTimeout(60_000);

const model = (name: string) => ({
  apiVersion: 'aic.dev/v1alpha1',
  kind: 'Model',
  metadata: { name, namespace: 'default', title: name.toUpperCase() },
  spec: {
    type: 'llm',
    lifecycle: 'production',
    owner: 'group:default/ml-platform',
    versions: [{ version: '1', artifact: 'hf://x', default: true }],
  },
});

const Location = () => {
  const location = useLocation();
  return (
    <output data-testid="location">{`${location.pathname}${location.search}`}</output>
  );
};

async function renderContent(route: string) {
  const api = fakeModelMarketplaceApi({
    listModels: jest
      .fn()
      .mockResolvedValue(
        listResponse([modelSummary('llama'), modelSummary('mistral')]),
      ),
  });
  const catalogApi = {
    getEntitiesByRefs: jest.fn(async ({ entityRefs }) => ({
      items: entityRefs.map((ref: string) => model(ref.split('/')[1])),
    })),
  };
  await renderInTestApp(
    <TestApiProvider
      apis={[
        [modelMarketplaceApiRef, api],
        [catalogApiRef, catalogApi],
      ]}
    >
      <Routes>
        <Route path="/models/*" element={<MarketplaceContent />} />
      </Routes>
      <Location />
    </TestApiProvider>,
    {
      routeEntries: [route],
      mountedRoutes: { '/catalog/:namespace/:kind/:name': entityRouteRef },
    },
  );
  return { api, catalogApi };
}

describe('MarketplaceContent', () => {
  it('carries the models ticked on Browse over to Compare', async () => {
    const { catalogApi } = await renderContent(
      '/models?select=model%3Adefault%2Fllama&select=model%3Adefault%2Fmistral',
    );
    expect(await screen.findByText('Llama')).toBeInTheDocument();
    await setupUser().click(screen.getByRole('tab', { name: 'Compare' }));

    expect(screen.getByTestId('location')).toHaveTextContent(
      '/models/compare?models=model%3Adefault%2Fllama&models=model%3Adefault%2Fmistral',
    );
    const table = await screen.findByRole('table', {}, { timeout: 30_000 });
    expect(within(table).getByText('LLAMA')).toBeInTheDocument();
    expect(within(table).getByText('MISTRAL')).toBeInTheDocument();
    expect(catalogApi.getEntitiesByRefs).toHaveBeenCalledWith({
      entityRefs: ['model:default/llama', 'model:default/mistral'],
    });
    expect(screen.getByRole('tab', { name: 'Compare' })).toHaveAttribute(
      'aria-selected',
      'true',
    );
  });

  it('opens Compare empty when nothing is ticked, and goes back to Browse', async () => {
    await renderContent('/models/compare');
    expect(
      await screen.findByText(
        'Pick models to compare',
        {},
        { timeout: 30_000 },
      ),
    ).toBeInTheDocument();
    const user = setupUser();
    await user.click(screen.getByRole('tab', { name: 'Browse' }));
    expect(screen.getByTestId('location')).toHaveTextContent(/^\/models$/);
    expect(await screen.findByText('Llama')).toBeInTheDocument();

    await user.click(screen.getByRole('tab', { name: 'Compare' }));
    expect(screen.getByTestId('location')).toHaveTextContent(
      /^\/models\/compare$/,
    );
  });
});
