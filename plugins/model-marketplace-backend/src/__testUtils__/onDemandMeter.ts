import type { Meter } from '@opentelemetry/api';
import { MeterProvider, MetricReader } from '@opentelemetry/sdk-metrics';

/** A reader that collects on demand, as a Prometheus scrape does. */
class OnDemandReader extends MetricReader {
  protected async onForceFlush() {}
  protected async onShutdown() {}
}

/** One data point of an instrument: its attributes and value. */
export type MetricPoint = {
  attributes: Record<string, unknown>;
  value: unknown;
};

/**
 * A meter of the real OpenTelemetry SDK whose reader collects when asked,
 * and `points(name)`: the data points of one instrument at that moment
 * (none when the instrument has recorded nothing). A collection that reports
 * errors fails the test.
 */
export function onDemandMeter(name = 'test'): {
  meter: Meter;
  points: (instrument: string) => Promise<MetricPoint[]>;
} {
  const reader = new OnDemandReader();
  const provider = new MeterProvider({ readers: [reader] });
  const points = async (instrument: string) => {
    const { resourceMetrics, errors } = await reader.collect();
    expect(errors).toEqual([]);
    const metric = resourceMetrics.scopeMetrics
      .flatMap(s => s.metrics)
      .find(m => m.descriptor.name === instrument);
    return (metric?.dataPoints ?? []).map(p => ({
      attributes: p.attributes,
      value: p.value,
    }));
  };
  return { meter: provider.getMeter(name), points };
}
