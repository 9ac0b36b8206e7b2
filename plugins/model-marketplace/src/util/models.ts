import {
  formatMetricValue,
  type ModelServingResources,
  type ModelVersion,
} from '@aic/plugin-model-marketplace-common';

/** The version marked default, or the first one. */
export function defaultVersion(
  versions: ModelVersion[] | undefined,
): ModelVersion | undefined {
  return versions?.find(v => v.default) ?? versions?.[0];
}

/** Every metric name any of the versions reports, in first-seen order. */
export function metricNames(versions: ModelVersion[]): string[] {
  const names: string[] = [];
  for (const version of versions) {
    for (const name of Object.keys(version.metrics ?? {})) {
      if (!names.includes(name)) {
        names.push(name);
      }
    }
  }
  return names;
}

/** `4 CPU · 32Gi · 1 GPU`. */
export function formatResources(resources?: ModelServingResources): string {
  if (!resources) {
    return '—';
  }
  const parts: string[] = [];
  if (resources.cpu !== undefined) {
    parts.push(`${resources.cpu} CPU`);
  }
  if (resources.memory) {
    parts.push(resources.memory);
  }
  if (resources.gpu) {
    parts.push(`${resources.gpu} GPU`);
  }
  return parts.length ? parts.join(' · ') : '—';
}

/** `1–3`, or a single number when min equals max. */
export function formatReplicas(
  replicas: { min?: number; max?: number } | undefined,
): string {
  if (!replicas) {
    return '—';
  }
  const min = replicas.min ?? 1;
  const max = replicas.max ?? min;
  return min === max ? String(min) : `${min}–${max}`;
}

/** Formats a metric: fractions as given with up to 3 decimals. */
export function formatMetric(value: number | undefined, unit?: string): string {
  return formatMetricValue(value, unit);
}
