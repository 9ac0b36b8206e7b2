import { InputError } from '@backstage/errors';
import { parse } from 'yaml';
import {
  fieldPath,
  optionalList,
  optionalRecord,
  optionalString,
  optionalStringList,
  requireRecord,
  requiredString,
} from '../import/fields';

/** A custom property value, unwrapped from its `MetadataXxxValue`. */
export type KubeflowPropertyValue = string | number | boolean;

/** A model artifact: where the weights are. */
export type KubeflowModelArtifact = {
  artifactType: 'model-artifact';
  uri: string;
  createTime?: Date;
  lastUpdateTime?: Date;
  customProperties: Record<string, KubeflowPropertyValue>;
};

/** A metrics artifact: one benchmark run's numbers. */
export type KubeflowMetricsArtifact = {
  artifactType: 'metrics-artifact';
  /** `performance-metrics` or `accuracy-metrics`. */
  metricsType: string;
  createTime?: Date;
  lastUpdateTime?: Date;
  customProperties: Record<string, KubeflowPropertyValue>;
};

/** One model of a Kubeflow catalog file. */
export type KubeflowCatalogModel = {
  name: string;
  description?: string;
  readme?: string;
  provider?: string;
  license?: string;
  licenseLink?: string;
  language: string[];
  tasks: string[];
  libraryName?: string;
  maturity?: string;
  createTime?: Date;
  lastUpdateTime?: Date;
  customProperties: Record<string, KubeflowPropertyValue>;
  artifacts: Array<KubeflowModelArtifact | KubeflowMetricsArtifact>;
};

/** A Kubeflow catalog file: `source:` and `models:`. */
export type KubeflowCatalog = {
  source?: string;
  models: KubeflowCatalogModel[];
};

/** Reads `createTimeSinceEpoch`-style fields: milliseconds, as a string or number. */
function readTime(
  obj: Record<string, unknown>,
  key: string,
  path: string,
): Date | undefined {
  const value = obj[key];
  if (value === undefined || value === null) {
    return undefined;
  }
  let ms = NaN;
  if (typeof value === 'number') {
    ms = value;
  } else if (typeof value === 'string' && /^\d+$/.test(value.trim())) {
    ms = Number(value);
  }
  const date = new Date(ms);
  if (!Number.isFinite(ms) || Number.isNaN(date.getTime())) {
    throw new InputError(
      `${fieldPath(
        path,
        key,
      )} must be milliseconds since the epoch, not ${JSON.stringify(value)}`,
    );
  }
  return date;
}

const VALUE_FIELDS: Record<string, string> = {
  MetadataStringValue: 'string_value',
  MetadataIntValue: 'int_value',
  MetadataDoubleValue: 'double_value',
  MetadataBoolValue: 'bool_value',
};

/**
 * Reads `customProperties`: each value is
 * `{ metadataType: MetadataStringValue, string_value: ... }` (or Int, Double,
 * Bool). Struct and proto values are kept as their JSON text.
 */
function readCustomProperties(
  obj: Record<string, unknown>,
  path: string,
): Record<string, KubeflowPropertyValue> {
  const properties = optionalRecord(obj, 'customProperties', path);
  const out: Record<string, KubeflowPropertyValue> = {};
  if (!properties) {
    return out;
  }
  for (const [key, raw] of Object.entries(properties)) {
    const propertyPath = fieldPath(fieldPath(path, 'customProperties'), key);
    const entry = requireRecord(raw, propertyPath);
    const type = requiredString(entry, 'metadataType', propertyPath);
    const field = VALUE_FIELDS[type];
    if (!field) {
      out[key] = JSON.stringify(entry);
      continue;
    }
    const value = entry[field];
    const valuePath = fieldPath(propertyPath, field);
    switch (type) {
      case 'MetadataStringValue':
        if (typeof value !== 'string') {
          throw new InputError(`${valuePath} must be a string`);
        }
        out[key] = value;
        break;
      case 'MetadataIntValue': {
        // The API carries 64-bit integers as strings.
        const n = typeof value === 'string' ? Number(value) : value;
        if (typeof n !== 'number' || !Number.isInteger(n)) {
          throw new InputError(`${valuePath} must be an integer`);
        }
        out[key] = n;
        break;
      }
      case 'MetadataDoubleValue': {
        const n = typeof value === 'string' ? Number(value) : value;
        if (typeof n !== 'number' || !Number.isFinite(n)) {
          throw new InputError(`${valuePath} must be a number`);
        }
        out[key] = n;
        break;
      }
      default:
        if (typeof value !== 'boolean') {
          throw new InputError(`${valuePath} must be true or false`);
        }
        out[key] = value;
    }
  }
  return out;
}

function readArtifact(
  value: unknown,
  path: string,
): KubeflowModelArtifact | KubeflowMetricsArtifact {
  const entry = requireRecord(value, path);
  const artifactType =
    optionalString(entry, 'artifactType', path) ?? 'model-artifact';
  const common = {
    createTime: readTime(entry, 'createTimeSinceEpoch', path),
    lastUpdateTime: readTime(entry, 'lastUpdateTimeSinceEpoch', path),
    customProperties: readCustomProperties(entry, path),
  };
  if (artifactType === 'model-artifact') {
    return {
      artifactType,
      uri: requiredString(entry, 'uri', path),
      ...common,
    };
  }
  if (artifactType === 'metrics-artifact') {
    return {
      artifactType,
      metricsType: requiredString(entry, 'metricsType', path),
      ...common,
    };
  }
  throw new InputError(
    `${path}.artifactType "${artifactType}" is not one of model-artifact, metrics-artifact`,
  );
}

function readModel(value: unknown, path: string): KubeflowCatalogModel {
  const entry = requireRecord(value, path);
  const str = (key: string) => optionalString(entry, key, path);
  return {
    name: requiredString(entry, 'name', path),
    description: str('description'),
    readme: str('readme'),
    provider: str('provider'),
    license: str('license'),
    licenseLink: str('licenseLink'),
    language:
      optionalStringList(entry, 'language', path, { allowSingle: true }) ?? [],
    tasks: optionalStringList(entry, 'tasks', path) ?? [],
    libraryName: str('libraryName'),
    maturity: str('maturity'),
    createTime: readTime(entry, 'createTimeSinceEpoch', path),
    lastUpdateTime: readTime(entry, 'lastUpdateTimeSinceEpoch', path),
    customProperties: readCustomProperties(entry, path),
    artifacts: (optionalList(entry, 'artifacts', path) ?? []).map((a, i) =>
      readArtifact(a, fieldPath(fieldPath(path, 'artifacts'), i)),
    ),
  };
}

/**
 * Parses a Kubeflow Model Catalog YAML file (`source:` and `models:`).
 * Throws an InputError naming the field (`models[2].artifacts[0].uri is
 * required`) when the file is malformed.
 */
export function parseKubeflowCatalog(text: string): KubeflowCatalog {
  let doc: unknown;
  try {
    doc = parse(text);
  } catch (error) {
    throw new InputError(`not valid YAML: ${(error as Error).message}`);
  }
  const root = requireRecord(doc ?? {}, '');
  const models = optionalList(root, 'models', '');
  if (!models) {
    throw new InputError('models is required');
  }
  return {
    source: optionalString(root, 'source', ''),
    models: models.map((m, i) => readModel(m, fieldPath('models', i))),
  };
}
