import { screen, within } from '@testing-library/react';
import { renderInTestApp } from '@backstage/test-utils';
import { ModelVersionsCard } from './ModelVersionsCard';

const versions = [
  {
    version: '2.0',
    artifact: 'hf://org/m',
    default: true,
    metrics: { p95_latency_ms: 81, accuracy: 0.74, perplexity: 6.1 },
  },
  {
    version: '1.0',
    artifact: 'hf://org/m-old',
    metrics: { p95_latency_ms: 39, accuracy: 0.7, perplexity: 7.2 },
  },
];

describe('ModelVersionsCard', () => {
  it('labels metrics with unit and direction, and marks the best version', async () => {
    await renderInTestApp(
      <ModelVersionsCard
        versions={versions}
        evaluation={{
          metrics: [
            {
              name: 'p95_latency_ms',
              displayName: 'p95 latency',
              direction: 'lower',
              unit: 'ms',
            },
            { name: 'accuracy', direction: 'higher' },
          ],
        }}
      />,
    );
    const table = screen.getByRole('table', { name: 'Versions' });
    expect(
      within(table).getByRole('columnheader', { name: 'p95 latency (ms) ↓' }),
    ).toBeInTheDocument();
    expect(
      within(table).getByRole('columnheader', { name: 'accuracy ↑' }),
    ).toBeInTheDocument();
    // The older version has the lower latency: it is the best one.
    expect(within(table).getByLabelText('39 ms, best')).toBeInTheDocument();
    expect(within(table).queryByLabelText('81 ms, best')).toBeNull();
    expect(within(table).getByLabelText('0.740, best')).toBeInTheDocument();
    // perplexity declares no direction: no best, plain numbers.
    expect(
      within(table).getByRole('columnheader', { name: 'perplexity' }),
    ).toBeInTheDocument();
    expect(within(table).getByText('6.100')).not.toHaveAttribute('aria-label');
    // The chart uses the display names and the units too.
    const chart = screen.getByRole('img', { name: 'Metrics of 2 versions' });
    expect(chart).toHaveTextContent('p95 latency ↓');
    expect(chart).toHaveTextContent('81 ms');
  });
});
