import { screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { Route, Routes } from 'react-router-dom';
import { renderInTestApp, TestApiProvider } from '@backstage/test-utils';
import { entityRouteRef } from '@backstage/plugin-catalog-react';
import { modelMarketplaceApiRef } from '../../api';
import { fakeModelMarketplaceApi, modelSummary } from '../../testing';
import { BenchmarkView } from './BenchmarkView';

function render(api: any, route = '/models/benchmarks') {
  return renderInTestApp(
    <TestApiProvider apis={[[modelMarketplaceApiRef, api]]}>
      <Routes>
        <Route path="/models/benchmarks" element={<BenchmarkView />} />
      </Routes>
    </TestApiProvider>,
    {
      routeEntries: [route],
      mountedRoutes: { '/catalog/:namespace/:kind/:name': entityRouteRef },
    },
  );
}

const latency = {
  metric: {
    name: 'p95_latency_ms',
    label: 'p95 latency',
    unit: 'ms',
    direction: 'lower' as const,
    models: 2,
  },
  items: [
    {
      model: modelSummary('jina-reranker', { namespace: 'search' }),
      version: '2',
      value: 39,
      rank: 1,
    },
    {
      model: modelSummary('bge-reranker'),
      version: '2.0.1',
      value: 81,
      rank: 2,
      dataset: 'acme/queries',
    },
  ],
};

describe('BenchmarkView', () => {
  it('ranks the models of the chosen metric and links to each model in its namespace', async () => {
    const api = fakeModelMarketplaceApi({
      listMetrics: jest.fn().mockResolvedValue({
        items: [
          latency.metric,
          { name: 'mteb_avg', label: 'mteb_avg', models: 3 },
        ],
      }),
      getMetricBenchmark: jest.fn().mockResolvedValue(latency),
    });
    await render(api, '/models/benchmarks?metric=p95_latency_ms');
    const table = await screen.findByLabelText('Benchmark: p95 latency');
    expect(api.getMetricBenchmark).toHaveBeenCalledWith('p95_latency_ms');
    expect(screen.getByText(/Lower is better; best first/)).toBeInTheDocument();
    const rows = Array.from(
      table.querySelectorAll('tbody tr'),
    ) as HTMLElement[];
    expect(rows[0]).toHaveTextContent('1Jina Reranker2—39 ms');
    expect(rows[1]).toHaveTextContent('2Bge Reranker2.0.1acme/queries81 ms');
    expect(
      within(rows[0]).getByText('Jina Reranker').closest('a'),
    ).toHaveAttribute('href', '/catalog/search/model/jina-reranker');
    expect(within(rows[0]).getByText('39 ms')).toHaveClass(/best/);
  });

  it('says why a metric without a direction is not ranked, and switches metric', async () => {
    const api = fakeModelMarketplaceApi({
      listMetrics: jest.fn().mockResolvedValue({
        items: [
          latency.metric,
          { name: 'mteb_avg', label: 'mteb_avg', models: 1 },
        ],
      }),
      getMetricBenchmark: jest.fn(async (name: string) =>
        name === 'mteb_avg'
          ? {
              metric: {
                name,
                label: 'mteb_avg',
                models: 1,
                unrankedReason: 'no direction is declared',
              },
              items: [{ model: modelSummary('e5'), version: '1', value: 0.61 }],
            }
          : latency,
      ),
    });
    await render(api);
    // Without ?metric= the most reported metric is shown first.
    await screen.findByLabelText('Benchmark: p95 latency');
    expect(screen.getByLabelText('Metric')).toHaveTextContent(
      'p95 latency (ms) ↓ · 2 models',
    );
    await userEvent.selectOptions(screen.getByLabelText('Metric'), 'mteb_avg');
    const table = await screen.findByLabelText('Benchmark: mteb_avg');
    expect(
      screen.getByText(/Not ranked: no direction is declared/),
    ).toBeInTheDocument();
    const row = table.querySelector('tbody tr') as HTMLElement;
    expect(row.querySelector('td')).toHaveTextContent('—');
    expect(within(row).getByText('0.610')).not.toHaveClass(/best/);
  });

  it('says when no model reports a metric', async () => {
    await render(
      fakeModelMarketplaceApi({
        listMetrics: jest.fn().mockResolvedValue({ items: [] }),
      }),
    );
    expect(
      await screen.findByText('No model reports a metric yet'),
    ).toBeInTheDocument();
  });
});
