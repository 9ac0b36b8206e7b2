import { screen } from '@testing-library/react';
import { renderInTestApp } from '@backstage/test-utils';
import { VersionMetricsChart } from './VersionMetricsChart';

jest.setTimeout(60_000);

const evaluation = {
  metrics: [
    { name: 'mmlu', displayName: 'MMLU', direction: 'higher' as const },
    {
      name: 'latency',
      displayName: 'Latency',
      direction: 'lower' as const,
      unit: 'ms',
    },
  ],
};

/** The tooltips of the bars, as a pointer over them shows. */
function barTitles() {
  return Array.from(document.querySelectorAll('rect > title')).map(
    t => t.textContent,
  );
}

describe('VersionMetricsChart', () => {
  it('draws a bar per version and metric, with arrows for the better direction', async () => {
    await renderInTestApp(
      <VersionMetricsChart
        evaluation={evaluation}
        versions={[
          {
            version: '1.0',
            artifact: 'hf://a',
            metrics: { mmlu: 0.7, latency: 120, toxicity: 0.1 },
          },
          // a version without the latency: no bar, no value
          { version: '1.0-int4', artifact: 's3://b', metrics: { mmlu: 0.68 } },
          // a version without metrics is left out of the chart
          { version: '0.9', artifact: 's3://c' },
        ]}
      />,
    );
    expect(
      screen.getByRole('img', { name: 'Metrics of 2 versions' }),
    ).toBeInTheDocument();
    expect(screen.getByTestId('metric-label-mmlu')).toHaveTextContent('MMLU ↑');
    expect(screen.getByTestId('metric-label-latency')).toHaveTextContent(
      'Latency ↓',
    );
    // without a declared direction, no arrow
    expect(screen.getByTestId('metric-label-toxicity')).toHaveTextContent(
      /^toxicity$/,
    );
    expect(barTitles()).toEqual([
      '1.0 MMLU: 0.700 (higher is better)',
      '1.0-int4 MMLU: 0.680 (higher is better)',
      expect.stringMatching(/^1\.0 Latency: 120.*ms \(lower is better\)$/),
      '1.0 toxicity: 0.100',
    ]);
    expect(screen.getByText('1.0-int4')).toBeInTheDocument();
    expect(screen.queryByText('0.9')).not.toBeInTheDocument();
  });

  it('draws zero bars flat and wraps a long metric name onto lines', async () => {
    await renderInTestApp(
      <VersionMetricsChart
        evaluation={{
          metrics: [
            { name: 'errors', displayName: 'Errors per thousand requests' },
          ],
        }}
        versions={[
          { version: '1.0', artifact: 'hf://a', metrics: { errors: 0 } },
          { version: '2.0', artifact: 'hf://b', metrics: { errors: 0 } },
        ]}
      />,
    );
    const heights = Array.from(document.querySelectorAll('rect')).map(r =>
      r.getAttribute('height'),
    );
    expect(heights).toEqual(['0', '0']);
    const label = screen.getByTestId('metric-label-errors');
    const lines = Array.from(label.querySelectorAll('tspan'));
    expect(lines.map(l => l.textContent)).toEqual([
      'Errors per',
      'thousand',
      'requests',
    ]);
    expect(lines.map(l => l.getAttribute('dy'))).toEqual(['0', '14', '14']);
    // no direction declared: the tooltip claims none
    expect(barTitles()).toEqual([
      '1.0 Errors per thousand requests: 0',
      '2.0 Errors per thousand requests: 0',
    ]);
  });

  it('draws nothing when no version has metrics', async () => {
    const { container } = await renderInTestApp(
      <VersionMetricsChart
        versions={[{ version: '1.0', artifact: 'hf://a', metrics: {} }]}
      />,
    );
    expect(container).toBeEmptyDOMElement();
  });
});
