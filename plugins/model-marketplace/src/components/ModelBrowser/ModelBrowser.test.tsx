import { screen, waitFor, within } from '@testing-library/react';
import { Route, Routes, useLocation } from 'react-router-dom';
import { renderInTestApp, TestApiProvider } from '@backstage/test-utils';
import { entityRouteRef } from '@backstage/plugin-catalog-react';
import { ResponseError } from '@backstage/errors';
import { modelMarketplaceApiRef } from '../../api';
import {
  fakeModelMarketplaceApi,
  listResponse,
  modelSummary,
} from '../../testing';
import { ModelBrowser } from './ModelBrowser';
import { setupUser } from '../../__testUtils__/setupUser';
import { preloadFirstPage } from '../../hooks/firstPagePreload';

const LocationProbe = () => {
  const location = useLocation();
  return (
    <div data-testid="location">{`${location.pathname}${location.search}`}</div>
  );
};

async function renderBrowser(
  api: ReturnType<typeof fakeModelMarketplaceApi>,
  route = '/models',
) {
  return renderInTestApp(
    <TestApiProvider apis={[[modelMarketplaceApiRef, api]]}>
      <Routes>
        <Route
          path="/models/*"
          element={
            <>
              <ModelBrowser />
              <LocationProbe />
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

const location = () => screen.getByTestId('location').textContent ?? '';

describe('ModelBrowser', () => {
  it('shows the first page requested while it loaded, without asking again', async () => {
    const preloading = fakeModelMarketplaceApi({
      listModels: jest
        .fn()
        .mockResolvedValue(listResponse([modelSummary('bge-m3')])),
    });
    preloadFirstPage(preloading, '');
    const api = fakeModelMarketplaceApi({
      listModels: jest.fn().mockResolvedValue(listResponse([])),
    });
    await renderBrowser(api);
    expect(await screen.findAllByTestId('model-card')).toHaveLength(1);
    expect(api.listModels).not.toHaveBeenCalled();
  });

  it('shows a card per model with its facts', async () => {
    const api = fakeModelMarketplaceApi({
      listModels: jest.fn().mockResolvedValue(
        listResponse([
          modelSummary('llama-3-1-8b-instruct', {
            title: 'Llama 3.1 8B Instruct',
            license: 'llama3.1',
            accessPolicy: 'approval',
          }),
          modelSummary('bge-m3', {
            title: 'BGE M3',
            type: 'embedding',
            task: 'feature-extraction',
            accessPolicy: 'open',
          }),
        ]),
      ),
    });
    await renderBrowser(api);

    const cards = await screen.findAllByTestId('model-card');
    expect(cards).toHaveLength(2);
    const llama = within(cards[0]);
    expect(
      llama.getByRole('link', { name: 'Llama 3.1 8B Instruct' }),
    ).toHaveAttribute('href', '/catalog/default/model/llama-3-1-8b-instruct');
    expect(llama.getByText('llm')).toBeInTheDocument();
    expect(llama.getByText('text-generation')).toBeInTheDocument();
    expect(llama.getByText('llama3.1')).toBeInTheDocument();
    expect(llama.getByText('ml-platform')).toBeInTheDocument();
    expect(llama.getByText('8B')).toBeInTheDocument();
    expect(llama.getByLabelText('Access policy: Approval')).toBeInTheDocument();
    expect(
      within(cards[1]).getByLabelText('Access policy: Open'),
    ).toBeInTheDocument();
    expect(screen.getByText('2 models')).toBeInTheDocument();
    expect(api.listModels).toHaveBeenCalledWith({ limit: 24 });
  });

  it('shows facet counts and narrows the query when a facet is ticked', async () => {
    const api = fakeModelMarketplaceApi({
      listModels: jest
        .fn()
        .mockResolvedValue(listResponse([modelSummary('a')])),
    });
    await renderBrowser(api);
    await screen.findAllByTestId('model-card');

    const typeFacet = screen.getByRole('group', { name: 'Type' });
    expect(within(typeFacet).getByText('12')).toBeInTheDocument();
    await setupUser().click(screen.getByLabelText('Type: vision'));

    await waitFor(() =>
      expect(api.listModels).toHaveBeenLastCalledWith({
        type: ['vision'],
        limit: 24,
      }),
    );
    expect(location()).toBe('/models?type=vision');
  });

  it('restores the view from the URL', async () => {
    const api = fakeModelMarketplaceApi({
      listModels: jest
        .fn()
        .mockResolvedValue(listResponse([modelSummary('whisper')])),
    });
    await renderBrowser(
      api,
      '/models?q=whisper&type=speech&license=mit&license=apache-2.0&sort=popular',
    );

    await screen.findAllByTestId('model-card');
    expect(api.listModels).toHaveBeenCalledTimes(1);
    expect(api.listModels).toHaveBeenCalledWith({
      q: 'whisper',
      sort: 'popular',
      type: ['speech'],
      license: ['mit', 'apache-2.0'],
      limit: 24,
    });
    expect(screen.getByLabelText('Search models')).toHaveValue('whisper');
    // Chosen values stay ticked even when the facet counts lack them.
    expect(screen.getByLabelText('Type: speech')).toBeChecked();
    expect(screen.getByText('Licence: mit')).toBeInTheDocument();
  });

  it('searches as the user types, debounced into the URL', async () => {
    const api = fakeModelMarketplaceApi({
      listModels: jest
        .fn()
        .mockResolvedValue(listResponse([modelSummary('a')])),
    });
    await renderBrowser(api);
    await screen.findAllByTestId('model-card');

    await setupUser().type(screen.getByLabelText('Search models'), 'bert');
    await waitFor(() =>
      expect(api.listModels).toHaveBeenLastCalledWith({ q: 'bert', limit: 24 }),
    );
    expect(location()).toBe('/models?q=bert');
  });

  it('changes the sort order', async () => {
    const api = fakeModelMarketplaceApi({
      listModels: jest
        .fn()
        .mockResolvedValue(listResponse([modelSummary('a')])),
    });
    await renderBrowser(api);
    await screen.findAllByTestId('model-card');

    await setupUser().click(screen.getByLabelText('Sort by'));
    await setupUser().click(
      within(screen.getByRole('listbox')).getByText('Most requested'),
    );
    await waitFor(() =>
      expect(api.listModels).toHaveBeenLastCalledWith({
        sort: 'popular',
        limit: 24,
      }),
    );
  });

  it('loads the next page with the cursor and appends it', async () => {
    const api = fakeModelMarketplaceApi({
      listModels: jest
        .fn()
        .mockResolvedValueOnce(
          listResponse([modelSummary('a'), modelSummary('b')], {
            totalItems: 3,
            nextCursor: 'page-2',
          }),
        )
        .mockResolvedValueOnce(
          listResponse([modelSummary('c')], { totalItems: 3 }),
        ),
    });
    await renderBrowser(api);
    await screen.findAllByTestId('model-card');

    await setupUser().click(screen.getByRole('button', { name: /Load more/ }));
    await waitFor(() =>
      expect(screen.getAllByTestId('model-card')).toHaveLength(3),
    );
    expect(api.listModels).toHaveBeenLastCalledWith({
      limit: 24,
      cursor: 'page-2',
    });
    expect(screen.queryByRole('button', { name: /Load more/ })).toBeNull();
  });

  it('shows an empty state that clears the filters', async () => {
    const api = fakeModelMarketplaceApi({
      listModels: jest
        .fn()
        .mockResolvedValue(listResponse([], { totalItems: 0 })),
    });
    await renderBrowser(api, '/models?tag=nothing');

    expect(await screen.findByText('No models match')).toBeInTheDocument();
    await setupUser().click(
      screen.getByRole('button', { name: 'Clear filters' }),
    );
    await waitFor(() => expect(location()).toBe('/models'));
  });

  it('shows the backend error', async () => {
    const response = new Response(
      JSON.stringify({
        error: { name: 'InputError', message: 'limit must be at most 100' },
        response: { statusCode: 400 },
      }),
      { status: 400, headers: { 'Content-Type': 'application/json' } },
    );
    const error = await ResponseError.fromResponse(response as any);
    const api = fakeModelMarketplaceApi({
      listModels: jest.fn().mockRejectedValue(error),
    });
    await renderBrowser(api);

    expect(
      (await screen.findAllByText(/limit must be at most 100/))[0],
    ).toBeInTheDocument();
    expect(screen.queryByTestId('model-card')).toBeNull();
  });

  it('collects two to four models and opens the compare view', async () => {
    const api = fakeModelMarketplaceApi({
      listModels: jest
        .fn()
        .mockResolvedValue(
          listResponse(['a', 'b', 'c', 'd', 'e'].map(n => modelSummary(n))),
        ),
    });
    await renderBrowser(api);
    await screen.findAllByTestId('model-card');

    await setupUser().click(screen.getByLabelText('Compare A'));
    expect(screen.getByRole('button', { name: 'Compare' })).toBeDisabled();
    await setupUser().click(screen.getByLabelText('Compare B'));
    await setupUser().click(screen.getByLabelText('Compare C'));
    await setupUser().click(screen.getByLabelText('Compare D'));
    expect(screen.getByLabelText('Compare E')).toBeDisabled();

    await setupUser().click(screen.getByRole('button', { name: 'Compare' }));
    expect(location()).toBe(
      '/models/compare?models=model%3Adefault%2Fa&models=model%3Adefault%2Fb&models=model%3Adefault%2Fc&models=model%3Adefault%2Fd',
    );
  });
});
