import { chartLayout, textWidth, wrapLabel } from './chartLayout';

describe('chartLayout', () => {
  const labels = [
    'MMLU ↑',
    'Latency p95 (ms) ↓',
    'Throughput tokens per second ↑',
    'WER ↓',
  ];
  const values = ['81 ms', '39 ms', '1,234.5 tok/s', '.694', '12.3 %'];

  it('keeps every metric name clear of its neighbours', () => {
    const layout = chartLayout({
      bars: 3,
      labels,
      values,
      valueFont: 9,
      labelFont: 12,
    });
    for (let i = 1; i < layout.groups.length; i++) {
      const [, previousEnd] = layout.groups[i - 1].labelExtent;
      const [start] = layout.groups[i].labelExtent;
      expect(start).toBeGreaterThan(previousEnd);
    }
    const [, lastEnd] = layout.groups[layout.groups.length - 1].labelExtent;
    expect(lastEnd).toBeLessThanOrEqual(layout.width);
    expect(layout.groups[0].labelExtent[0]).toBeGreaterThanOrEqual(0);
  });

  it('makes each bar as wide as the widest value printed above it', () => {
    const layout = chartLayout({
      bars: 3,
      labels,
      values,
      valueFont: 9,
      labelFont: 12,
    });
    expect(layout.barWidth).toBeGreaterThanOrEqual(
      textWidth('1,234.5 tok/s', 9),
    );
    for (const group of layout.groups) {
      for (let i = 1; i < group.bars.length; i++) {
        expect(group.bars[i] - group.bars[i - 1]).toBeGreaterThan(
          layout.barWidth,
        );
      }
    }
  });

  it('wraps a long metric name at its spaces, never inside a word', () => {
    expect(wrapLabel('Throughput tokens per second ↑')).toEqual([
      'Throughput',
      'tokens per',
      'second ↑',
    ]);
    expect(wrapLabel('MMLU ↑')).toEqual(['MMLU ↑']);
    // a name of spaces only still takes its line
    expect(wrapLabel('')).toEqual(['']);
    expect(wrapLabel('   ')).toEqual(['']);
    expect(wrapLabel('Supercalifragilistic score')).toEqual([
      'Supercalifragilistic',
      'score',
    ]);
    const layout = chartLayout({
      bars: 1,
      labels: ['Throughput tokens per second ↑'],
      values: [],
      valueFont: 9,
      labelFont: 12,
    });
    expect(layout.labelLines).toBe(3);
  });
});
