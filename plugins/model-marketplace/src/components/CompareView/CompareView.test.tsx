import { screen, within } from '@testing-library/react';
import { Route, Routes } from 'react-router-dom';
import { renderInTestApp, TestApiProvider } from '@backstage/test-utils';
import { catalogApiRef, entityRouteRef } from '@backstage/plugin-catalog-react';
import { CompareView } from './CompareView';

const model = (name: string, metrics: Record<string, number>, extra = {}) => ({
  apiVersion: 'aic.dev/v1alpha1',
  kind: 'Model',
  metadata: { name, namespace: 'default', title: name.toUpperCase() },
  spec: {
    type: 'embedding',
    task: 'feature-extraction',
    lifecycle: 'production',
    owner: 'group:default/team-search',
    license: 'mit',
    parameters: '568M',
    versions: [{ version: '1', artifact: 'hf://x', default: true, metrics }],
    serving: { runtime: 'tgi', resources: { cpu: 2, memory: '8Gi' } },
    ...extra,
  },
});

async function renderCompare(route: string, catalogApi: any) {
  return renderInTestApp(
    <TestApiProvider apis={[[catalogApiRef, catalogApi]]}>
      <Routes>
        <Route path="/models/compare" element={<CompareView />} />
      </Routes>
    </TestApiProvider>,
    {
      routeEntries: [route],
      mountedRoutes: { '/catalog/:namespace/:kind/:name': entityRouteRef },
    },
  );
}

describe('CompareView', () => {
  it('shows the chosen models side by side', async () => {
    const catalogApi = {
      getEntitiesByRefs: jest.fn().mockResolvedValue({
        items: [
          model('bge-m3', { ndcg: 0.7 }),
          model(
            'e5',
            { ndcg: 0.65 },
            { license: 'apache-2.0', parameters: '335M' },
          ),
        ],
      }),
    };
    await renderCompare(
      '/models/compare?models=model:default/bge-m3&models=model:default/e5',
      catalogApi,
    );
    const table = await screen.findByRole('table', {
      name: 'Model comparison',
    });
    expect(catalogApi.getEntitiesByRefs).toHaveBeenCalledWith({
      entityRefs: ['model:default/bge-m3', 'model:default/e5'],
    });
    expect(
      within(table).getByRole('link', { name: 'BGE-M3' }),
    ).toBeInTheDocument();
    const licence = within(table).getByText('Licence').closest('tr')!;
    expect(licence).toHaveTextContent('mitapache-2.0');
    const params = within(table).getByText('Parameters').closest('tr')!;
    expect(params).toHaveTextContent('568M335M');
    const resources = within(table)
      .getByText('Resources per replica')
      .closest('tr')!;
    expect(resources).toHaveTextContent('2 CPU · 8Gi');
    const metric = within(table).getByText('Metric: ndcg').closest('tr')!;
    // No model declares a direction for ndcg: nothing is called best.
    expect(within(metric).getByText('0.700')).not.toHaveClass(/best/);
    expect(within(metric).queryByText('best')).not.toBeInTheDocument();
    expect(metric).toHaveTextContent('not ranked: no direction is declared');
  });

  it('calls the lower latency best and the higher accuracy best, with units', async () => {
    const evaluation = {
      metrics: [
        {
          name: 'p95_latency_ms',
          displayName: 'p95 latency',
          direction: 'lower',
          unit: 'ms',
        },
        { name: 'accuracy', direction: 'higher', unit: '%' },
      ],
    };
    const catalogApi = {
      getEntitiesByRefs: jest.fn().mockResolvedValue({
        items: [
          model('slow', { p95_latency_ms: 81, accuracy: 71.5 }, { evaluation }),
          model('fast', { p95_latency_ms: 39, accuracy: 64 }, { evaluation }),
        ],
      }),
    };
    await renderCompare(
      '/models/compare?models=model:default/slow&models=model:default/fast',
      catalogApi,
    );
    const table = await screen.findByRole('table', {
      name: 'Model comparison',
    });
    const latency = within(table)
      .getByText('Metric: p95 latency')
      .closest('tr')!;
    expect(latency).toHaveTextContent('lower is better · ms');
    expect(within(latency).getByText('39 ms')).toHaveClass(/best/);
    expect(within(latency).getByText('81 ms')).not.toHaveClass(/best/);
    expect(within(latency).getAllByText('best')).toHaveLength(1);
    const accuracy = within(table).getByText('Metric: accuracy').closest('tr')!;
    expect(within(accuracy).getByText('71.500%')).toHaveClass(/best/);
    expect(within(accuracy).getByText('64%')).not.toHaveClass(/best/);
  });

  it('shows a model without spec.access as needing approval', async () => {
    const catalogApi = {
      getEntitiesByRefs: jest.fn().mockResolvedValue({
        items: [
          model('no-policy', {}),
          model('open-one', {}, { access: { policy: 'open' } }),
        ],
      }),
    };
    await renderCompare(
      '/models/compare?models=model:default/no-policy&models=model:default/open-one',
      catalogApi,
    );
    const table = await screen.findByRole('table', {
      name: 'Model comparison',
    });
    const access = within(table).getByText('Access').closest('tr')!;
    const cells = within(access).getAllByRole('cell');
    expect(cells[cells.length - 2]).toHaveTextContent('Approval');
    expect(cells[cells.length - 1]).toHaveTextContent('Open');
  });

  it('asks for at least two models', async () => {
    await renderCompare('/models/compare?models=model:default/a', {
      getEntitiesByRefs: jest.fn(),
    });
    expect(screen.getByText('Pick models to compare')).toBeInTheDocument();
  });

  it('shows a catalog error', async () => {
    await renderCompare('/models/compare?models=a&models=b', {
      getEntitiesByRefs: jest.fn().mockRejectedValue(new Error('catalog down')),
    });
    expect((await screen.findAllByText(/catalog down/))[0]).toBeInTheDocument();
  });

  it('fills in what a model does not say and names the models it could not find', async () => {
    const bare = {
      apiVersion: 'aic.dev/v1alpha1',
      kind: 'Model',
      metadata: { name: 'bare', namespace: 'default' },
      spec: {
        type: 'llm',
        lifecycle: 'experimental',
        owner: 'group:default/ml-platform',
        versions: [{ version: '2', artifact: 'hf://y', metrics: { ndcg: 0 } }],
      },
    };
    const zero = model('zero', { ndcg: 0 }, { languages: ['en', 'fr'] });
    await renderCompare(
      '/models/compare?models=model:default/zero&models=model:default/bare&models=model:default/gone',
      {
        getEntitiesByRefs: jest
          .fn()
          .mockResolvedValue({ items: [zero, bare, undefined] }),
      },
    );
    const table = await screen.findByRole('table', {
      name: 'Model comparison',
    });
    expect(
      screen.getByText('Not found in the catalog: model:default/gone'),
    ).toBeInTheDocument();
    // the entity name stands in for a missing title
    expect(
      within(table).getByRole('link', { name: 'bare' }),
    ).toBeInTheDocument();
    const row = (label: string) =>
      within(table).getByText(label).closest('tr')!;
    expect(row('Task')).toHaveTextContent('feature-extraction—');
    expect(row('Licence')).toHaveTextContent('mit—');
    expect(row('Framework')).toHaveTextContent('——');
    expect(row('Languages')).toHaveTextContent('en, fr—');
    // without a default version marked, the first version is the default
    expect(row('Default version')).toHaveTextContent('12');
    expect(row('Runtime')).toHaveTextContent('tgi—');
    // values of 0 are still shown, on a scale that does not divide by zero
    const metric = row('Metric: ndcg');
    expect(metric).toHaveTextContent(/declared00$/);
    const bars = Array.from(
      metric.querySelectorAll<HTMLElement>('div[aria-hidden]'),
    );
    expect(bars.map(b => b.style.width)).toEqual(['0%', '0%']);
  });
});
