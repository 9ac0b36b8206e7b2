import {
  bestMetricValue,
  compareMetricValues,
  formatMetricValue,
  resolveModelMetric,
} from './modelMetrics';

const model = (metrics?: any[]): any => ({
  spec: { evaluation: metrics ? { metrics } : undefined },
});

describe('resolveModelMetric', () => {
  it('ranks a metric whose declarations agree', () => {
    const r = resolveModelMetric(
      [
        model([
          {
            name: 'p95_latency_ms',
            displayName: 'p95 latency',
            direction: 'lower',
            unit: 'ms',
          },
        ]),
        model(),
        model([{ name: 'p95_latency_ms', direction: 'lower', unit: 'ms' }]),
      ],
      'p95_latency_ms',
    );
    expect(r).toEqual({
      name: 'p95_latency_ms',
      label: 'p95 latency',
      unit: 'ms',
      dataset: undefined,
      direction: 'lower',
    });
  });

  it('does not rank an undeclared metric or one without a direction', () => {
    const undeclared = resolveModelMetric([model(), model()], 'mmlu');
    expect(undeclared).toMatchObject({
      label: 'mmlu',
      unrankedReason: 'no direction is declared',
    });
    expect(undeclared).not.toHaveProperty('direction');
    const noDirection = resolveModelMetric(
      [model([{ name: 'mmlu', unit: '%' }])],
      'mmlu',
    );
    expect(noDirection).toMatchObject({ unit: '%' });
    expect(noDirection).not.toHaveProperty('direction');
  });

  it('does not rank when models disagree on direction or unit', () => {
    expect(
      resolveModelMetric(
        [
          model([{ name: 'x', direction: 'lower' }]),
          model([{ name: 'x', direction: 'higher' }]),
        ],
        'x',
      ).direction,
    ).toBeUndefined();
    const units = resolveModelMetric(
      [
        model([{ name: 'x', direction: 'lower', unit: 'ms' }]),
        model([{ name: 'x', direction: 'lower', unit: 's' }]),
      ],
      'x',
    );
    expect(units.unrankedReason).toBe('the models declare different units');
    expect(units).not.toHaveProperty('direction');
  });
});

describe('bestMetricValue', () => {
  it('picks the lowest for lower and the highest for higher', () => {
    expect(bestMetricValue([81, 39, undefined, 55], 'lower')).toBe(39);
    expect(bestMetricValue([0.5, 0.7], 'higher')).toBe(0.7);
  });

  it('claims no best without a direction or with a single value', () => {
    expect(bestMetricValue([81, 39], undefined)).toBeUndefined();
    expect(bestMetricValue([81, undefined], 'lower')).toBeUndefined();
  });
});

describe('compareMetricValues and formatMetricValue', () => {
  it('sorts best first', () => {
    expect([3, 1, 2].sort(compareMetricValues('lower'))).toEqual([1, 2, 3]);
    expect([3, 1, 2].sort(compareMetricValues('higher'))).toEqual([3, 2, 1]);
  });

  it('formats with the unit', () => {
    expect(formatMetricValue(39, 'ms')).toBe('39 ms');
    expect(formatMetricValue(71.25, '%')).toBe('71.250%');
    expect(formatMetricValue(0.5412345)).toBe('0.541');
    expect(formatMetricValue(undefined, 'ms')).toBe('—');
  });
});
