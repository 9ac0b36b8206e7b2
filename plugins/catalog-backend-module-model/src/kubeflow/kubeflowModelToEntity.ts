import type { Entity } from '@backstage/catalog-model';
import type { JsonObject } from '@backstage/types';
import {
  ANNOTATION_KUBEFLOW_MODEL,
  ANNOTATION_KUBEFLOW_SOURCE,
  ANNOTATION_MODEL_CARD,
  MODEL_API_VERSION,
  MODEL_KIND,
  ModelVersion,
} from '@aic/plugin-model-marketplace-common';
import { toEntityName, toTags } from '../import/entityNames';
import {
  evaluationOf,
  MetricConvention,
  metricConvention,
  unitOfScoreMetric,
} from '../import/metricConventions';
import { modelTypeForTasks } from '../import/modelTypeForTask';
import { markdownDataUrl } from '../import/markdownDataUrl';
import type {
  KubeflowCatalogModel,
  KubeflowMetricsArtifact,
  KubeflowModelArtifact,
  KubeflowPropertyValue,
} from './parseKubeflowCatalog';
import type { KubeflowCatalogSource } from './parseKubeflowSources';

/** Prefix of the annotations that carry a model's Kubeflow properties. */
export const KUBEFLOW_PROPERTY_PREFIX = 'kubeflow.aic.dev/';

/** What the provider's configuration adds to every model. */
export type KubeflowEntityDefaults = {
  owner: string;
  namespace: string;
  system?: string;
  /** Used when `maturity` is missing or not one the importer knows. */
  lifecycle: string;
};

/**
 * Custom properties of a performance run that describe the scenario, not a
 * result: they label the run's metrics instead of becoming metrics.
 */
const SCENARIO_PROPERTIES = new Set([
  'hardware_count',
  'requests_per_second',
  'mean_input_tokens',
  'mean_output_tokens',
  'max_input_tokens',
  'max_output_tokens',
  'input_tokens',
  'output_tokens',
  'batch_size',
  'concurrency',
  'max_concurrency',
]);

/** Kubeflow `maturity` values and the lifecycle they mean. */
export function lifecycleForMaturity(
  maturity: string | undefined,
): string | undefined {
  const m = maturity?.toLowerCase() ?? '';
  if (/deprecat|retired|end.of.life/.test(m)) {
    return 'deprecated';
  }
  if (/preview|beta|alpha|experiment|incubat/.test(m)) {
    return 'experimental';
  }
  if (/^ga$|general|production|stable|validated|certified/.test(m)) {
    return 'production';
  }
  return undefined;
}

function isoDate(date: Date | undefined): string | undefined {
  return date?.toISOString().slice(0, 10);
}

/**
 * The version of a model artifact: its `version` custom property, else the
 * tag of an `oci://` reference (`oci://registry/org/model:1.5` is `1.5`).
 */
function versionOf(artifact: KubeflowModelArtifact): string | undefined {
  const property = artifact.customProperties.version;
  if (typeof property === 'string' && property.trim()) {
    return property.trim();
  }
  if (artifact.uri.startsWith('oci://')) {
    const lastSegment = artifact.uri.split('@')[0].split('/').pop() ?? '';
    const tag = lastSegment.includes(':')
      ? lastSegment.slice(lastSegment.lastIndexOf(':') + 1)
      : '';
    if (tag) {
      return tag;
    }
  }
  return undefined;
}

/** `chatbot, 2xH100, 4 rps`: what tells one performance run from another. */
function scenarioLabel(properties: Record<string, KubeflowPropertyValue>) {
  const parts: string[] = [];
  if (properties.use_case !== undefined) {
    parts.push(String(properties.use_case));
  }
  if (properties.hardware_type !== undefined) {
    parts.push(
      properties.hardware_count !== undefined
        ? `${properties.hardware_count}x${properties.hardware_type}`
        : String(properties.hardware_type),
    );
  }
  if (properties.requests_per_second !== undefined) {
    parts.push(`${properties.requests_per_second} rps`);
  }
  return parts.join(', ');
}

/**
 * The numbers of the metrics artifacts, with direction and unit where known.
 *
 * - `accuracy-metrics` with `benchmark` and `score` give one metric named
 *   after the benchmark (`mmlu`); the unit comes from `score_metric`
 *   (`accuracy_percent` is `%`).
 * - Otherwise every numeric custom property is a metric (`ttft_p90`), except
 *   those that describe the scenario (hardware count, request rate, token
 *   counts).
 * - When a model has several runs of the same kind, each metric name carries
 *   the run's scenario: `ttft_p90 [chatbot, 2xH100, 4 rps]`.
 */
export function metricsOf(artifacts: KubeflowMetricsArtifact[]): {
  metrics: Record<string, number>;
  info: Record<string, MetricConvention>;
} {
  const metrics: Record<string, number> = {};
  const info: Record<string, MetricConvention> = {};
  const runsByType = new Map<string, number>();
  for (const a of artifacts) {
    runsByType.set(a.metricsType, (runsByType.get(a.metricsType) ?? 0) + 1);
  }
  const add = (
    base: string,
    value: number,
    scenario: string,
    convention: MetricConvention | undefined,
  ) => {
    let key = scenario ? `${base} [${scenario}]` : base;
    for (let n = 2; key in metrics; n++) {
      key = `${scenario ? `${base} [${scenario}]` : base} #${n}`;
    }
    metrics[key] = value;
    if (convention) {
      info[key] = convention;
    }
  };
  for (const artifact of artifacts) {
    const p = artifact.customProperties;
    const several = (runsByType.get(artifact.metricsType) ?? 0) > 1;
    if (typeof p.benchmark === 'string' && typeof p.score === 'number') {
      const unit = unitOfScoreMetric(
        typeof p.score_metric === 'string' ? p.score_metric : undefined,
      );
      add(p.benchmark.toLowerCase(), p.score, '', {
        direction: 'higher',
        ...(unit ? { unit } : {}),
      });
      continue;
    }
    const scenario = several ? scenarioLabel(p) : '';
    for (const [name, value] of Object.entries(p)) {
      if (typeof value !== 'number' || SCENARIO_PROPERTIES.has(name)) {
        continue;
      }
      add(name, value, scenario, metricConvention(name));
    }
  }
  return { metrics, info };
}

/**
 * The versions of a model: one per model artifact. The most recently
 * updated artifact is the default and carries the metrics.
 */
function versionsOf(
  model: KubeflowCatalogModel,
  metrics: Record<string, number>,
): ModelVersion[] {
  const artifacts = model.artifacts.filter(
    (a): a is KubeflowModelArtifact => a.artifactType === 'model-artifact',
  );
  let latest = 0;
  artifacts.forEach((a, i) => {
    const t = a.lastUpdateTime?.getTime() ?? 0;
    if (t > (artifacts[latest].lastUpdateTime?.getTime() ?? 0)) {
      latest = i;
    }
  });
  return artifacts.map((artifact, i) => {
    const version =
      versionOf(artifact) ?? (artifacts.length === 1 ? '1' : String(i + 1));
    const created = isoDate(artifact.createTime ?? model.createTime);
    const format = artifact.customProperties.format;
    return {
      version,
      artifact: artifact.uri,
      ...(typeof format === 'string' && format ? { format } : {}),
      ...(created ? { created } : {}),
      ...(i === latest ? { default: true } : {}),
      ...(i === latest && Object.keys(metrics).length ? { metrics } : {}),
    };
  });
}

const ANNOTATION_KEY_NAME = /^[A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?$/;
const MAX_CARD_BYTES = 256 * 1024;

/**
 * Turns one model of a Kubeflow catalog into a Model entity. The entity is
 * not validated here: the catalog validates it like any other Model, so a
 * model the Model kind cannot describe (no model artifact, an `https://`
 * artifact) shows up as a processing error naming the field.
 *
 * Returns undefined (with the reason) when the model's name gives no usable
 * entity name.
 */
export function kubeflowModelToEntity(options: {
  model: KubeflowCatalogModel;
  source: KubeflowCatalogSource;
  defaults: KubeflowEntityDefaults;
  /** `url:...` or `file:...` of the catalog file the model came from. */
  location: string;
  /** `url:...` or `file:...` of the sources file. */
  originLocation: string;
}): { entity: Entity; warnings: string[] } | { error: string } {
  const { model, source, defaults } = options;
  const name = toEntityName(model.name);
  if (!name) {
    return {
      error: `model "${model.name}" has no name usable as an entity name`,
    };
  }
  const warnings: string[] = [];
  const metricsArtifacts = model.artifacts.filter(
    (a): a is KubeflowMetricsArtifact => a.artifactType === 'metrics-artifact',
  );
  const { metrics, info } = metricsOf(metricsArtifacts);
  const evaluation = evaluationOf(info);

  const flags: string[] = [];
  const annotations: Record<string, string> = {
    'backstage.io/managed-by-location': options.location,
    'backstage.io/managed-by-origin-location': options.originLocation,
    [ANNOTATION_KUBEFLOW_SOURCE]: source.id,
    [ANNOTATION_KUBEFLOW_MODEL]: model.name,
  };
  if (model.provider) {
    annotations[`${KUBEFLOW_PROPERTY_PREFIX}provider`] = model.provider;
  }
  if (model.maturity) {
    annotations[`${KUBEFLOW_PROPERTY_PREFIX}maturity`] = model.maturity;
  }
  for (const [key, value] of Object.entries(model.customProperties)) {
    if (value === '') {
      // The Kubeflow UI shows empty string properties as labels.
      flags.push(key);
    } else if (
      ANNOTATION_KEY_NAME.test(key) &&
      key !== 'provider' &&
      key !== 'maturity'
    ) {
      annotations[`${KUBEFLOW_PROPERTY_PREFIX}${key}`] = String(value);
    } else {
      warnings.push(
        `custom property "${key}" of model "${model.name}" is not a valid annotation name and is left out`,
      );
    }
  }
  if (model.readme) {
    if (Buffer.byteLength(model.readme, 'utf8') > MAX_CARD_BYTES) {
      warnings.push(
        `the readme of model "${model.name}" is larger than 256 KiB and is left out`,
      );
    } else {
      annotations[ANNOTATION_MODEL_CARD] = markdownDataUrl(model.readme);
    }
  }

  const tags = toTags([...source.labels, ...flags]);
  const spec: JsonObject = {
    type: modelTypeForTasks(model.tasks),
    lifecycle: lifecycleForMaturity(model.maturity) ?? defaults.lifecycle,
    owner: defaults.owner,
    ...(defaults.system ? { system: defaults.system } : {}),
    ...(model.tasks.length ? { task: model.tasks[0] } : {}),
    ...(model.libraryName ? { framework: model.libraryName } : {}),
    ...(model.language.length ? { languages: model.language } : {}),
    ...(model.license ? { license: model.license } : {}),
    ...(model.licenseLink && /^https?:\/\//.test(model.licenseLink)
      ? { licenseUrl: model.licenseLink }
      : {}),
    versions: versionsOf(model, metrics),
    ...(evaluation ? { evaluation } : {}),
  };

  const entity: Entity = {
    apiVersion: MODEL_API_VERSION,
    kind: MODEL_KIND,
    metadata: {
      name,
      namespace: defaults.namespace,
      title: model.name,
      ...(model.description ? { description: model.description.trim() } : {}),
      ...(tags.length ? { tags } : {}),
      ...(model.licenseLink && /^https?:\/\//.test(model.licenseLink)
        ? { links: [{ url: model.licenseLink, title: 'License' }] }
        : {}),
      annotations,
    },
    spec,
  };
  return { entity, warnings };
}
