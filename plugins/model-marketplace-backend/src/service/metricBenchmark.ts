import {
  compareMetricValues,
  modelMetricDefinition,
  resolveModelMetric,
  type ListModelMetricsResponse,
  type ModelMetricBenchmark,
  type ModelMetricBenchmarkEntry,
  type ModelMetricSummary,
} from '@aic/plugin-model-marketplace-common';
import type { IndexedModel } from '../index/ModelIndex';

/** The default version of a model and the metric value it reports, if any. */
function reported(model: IndexedModel, name: string) {
  const versions = model.entity.spec.versions;
  const version = versions.find(v => v.default) ?? versions[0];
  const value = version?.metrics?.[name];
  if (!version || typeof value !== 'number' || Number.isNaN(value)) {
    return undefined;
  }
  return { version: version.version, value };
}

/**
 * The metrics the given models report on their default versions, each with
 * its label, unit and direction read across the models that report it.
 */
export function listModelMetrics(
  models: readonly IndexedModel[],
): ListModelMetricsResponse {
  const reporters = new Map<string, IndexedModel[]>();
  for (const model of models) {
    const versions = model.entity.spec.versions;
    const version = versions.find(v => v.default) ?? versions[0];
    for (const name of Object.keys(version?.metrics ?? {})) {
      if (reported(model, name)) {
        reporters.set(name, [...(reporters.get(name) ?? []), model]);
      }
    }
  }
  const items: ModelMetricSummary[] = [...reporters.entries()].map(
    ([name, reporting]) => {
      const metric = resolveModelMetric(
        reporting.map(m => m.entity),
        name,
      );
      return {
        name,
        label: metric.label,
        ...(metric.unit ? { unit: metric.unit } : {}),
        ...(metric.direction ? { direction: metric.direction } : {}),
        models: reporting.length,
      };
    },
  );
  items.sort(
    (a, b) =>
      b.models - a.models ||
      a.label.localeCompare(b.label, 'en-US') ||
      a.name.localeCompare(b.name, 'en-US'),
  );
  return { items };
}

/**
 * The models that report metric `name` on their default version, best first
 * by the metric's declared direction. Where the models declare no direction
 * (or disagree on direction or unit), the entries carry no rank.
 */
export function benchmarkModelMetric(
  models: readonly IndexedModel[],
  name: string,
): ModelMetricBenchmark {
  const reporting = models.flatMap(model => {
    const found = reported(model, name);
    return found ? [{ model, ...found }] : [];
  });
  const metric = resolveModelMetric(
    reporting.map(r => r.model.entity),
    name,
  );
  const order = compareMetricValues(metric.direction);
  reporting.sort(
    (a, b) =>
      order(a.value, b.value) ||
      a.model.sortName.localeCompare(b.model.sortName, 'en-US'),
  );
  const items: ModelMetricBenchmarkEntry[] = [];
  reporting.forEach((r, i) => {
    const previous = items[i - 1];
    let rank: number | undefined;
    if (metric.direction) {
      rank = previous && previous.value === r.value ? previous.rank : i + 1;
    }
    const dataset = modelMetricDefinition(r.model.entity, name)?.dataset;
    items.push({
      model: r.model.summary,
      version: r.version,
      value: r.value,
      ...(rank !== undefined ? { rank } : {}),
      ...(dataset ? { dataset } : {}),
    });
  });
  return {
    metric: {
      name,
      label: metric.label,
      ...(metric.unit ? { unit: metric.unit } : {}),
      ...(metric.direction ? { direction: metric.direction } : {}),
      ...(metric.unrankedReason
        ? { unrankedReason: metric.unrankedReason }
        : {}),
      models: items.length,
    },
    items,
  };
}
