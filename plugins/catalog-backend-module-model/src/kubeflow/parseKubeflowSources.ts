import { InputError } from '@backstage/errors';
import { parse } from 'yaml';
import {
  fieldPath,
  optionalBoolean,
  optionalList,
  optionalRecord,
  optionalString,
  optionalStringList,
  requireRecord,
  requiredString,
} from '../import/fields';
import { ModelNameFilter } from './ModelNameFilter';

/** One enabled `type: yaml` source of a Kubeflow Model Catalog sources file. */
export type KubeflowCatalogSource = {
  id: string;
  name: string;
  labels: string[];
  filter: ModelNameFilter;
  /** As written; relative paths resolve against the sources file. */
  yamlCatalogPath: string;
};

/** A source the importer does not read, and why. */
export type SkippedKubeflowCatalogSource = { id: string; reason: string };

function readSource(
  entry: Record<string, unknown>,
  id: string,
  path: string,
): KubeflowCatalogSource | SkippedKubeflowCatalogSource {
  const name = optionalString(entry, 'name', path) ?? id;
  const type = requiredString(entry, 'type', path);
  const enabled = optionalBoolean(entry, 'enabled', path) ?? true;
  const labels = optionalStringList(entry, 'labels', path) ?? [];
  const properties = optionalRecord(entry, 'properties', path) ?? {};
  const propertiesPath = fieldPath(path, 'properties');
  // Older sources list exclusions under properties.excludedModels.
  const excluded = [
    ...(optionalStringList(entry, 'excludedModels', path) ?? []),
    ...(optionalStringList(properties, 'excludedModels', propertiesPath) ?? []),
  ];
  const filter = new ModelNameFilter({
    included: optionalStringList(entry, 'includedModels', path),
    excluded,
    path,
  });
  if (type !== 'yaml') {
    return { id, reason: `type "${type}" is not read, only "yaml"` };
  }
  const yamlCatalogPath = requiredString(
    properties,
    'yamlCatalogPath',
    propertiesPath,
  );
  if (!enabled) {
    return { id, reason: 'disabled' };
  }
  return { id, name, labels, filter, yamlCatalogPath };
}

/**
 * Parses a Kubeflow Model Catalog sources file:
 *
 * ```yaml
 * model_catalogs: # or the older key catalogs
 *   - id: validated
 *     name: Validated models
 *     type: yaml
 *     enabled: true
 *     labels: [validated]
 *     includedModels: ['granite-*']
 *     excludedModels: ['*-preview']
 *     properties:
 *       yamlCatalogPath: validated-models.yaml
 * ```
 *
 * Disabled sources and sources of another type than `yaml` (such as `hf`,
 * which would need the Hugging Face API) are returned as skipped. Throws an
 * InputError naming the field when the file is malformed.
 */
export function parseKubeflowSources(text: string): {
  sources: KubeflowCatalogSource[];
  skipped: SkippedKubeflowCatalogSource[];
} {
  let doc: unknown;
  try {
    doc = parse(text);
  } catch (error) {
    throw new InputError(`not valid YAML: ${(error as Error).message}`);
  }
  const root = requireRecord(doc ?? {}, '');
  // Current sources files list model sources under model_catalogs; the
  // older catalogs key still counts, after it, and loses on a shared id.
  // mcp_catalogs (MCP servers) are not models and are not read.
  const modelCatalogs = optionalList(root, 'model_catalogs', '');
  const catalogs = optionalList(root, 'catalogs', '');
  if (!modelCatalogs && !catalogs) {
    throw new InputError('model_catalogs (or the older catalogs) is required');
  }
  const sources: KubeflowCatalogSource[] = [];
  const skipped: SkippedKubeflowCatalogSource[] = [];
  const fromModelCatalogs = new Set<string>();
  const readList = (key: string, list: unknown[]) => {
    const seen = new Map<string, number>();
    list.forEach((value, i) => {
      const path = fieldPath(key, i);
      const entry = requireRecord(value, path);
      const id = requiredString(entry, 'id', path);
      const first = seen.get(id);
      if (first !== undefined) {
        throw new InputError(
          `${path}.id "${id}" is not unique: ${key}[${first}] has the same id`,
        );
      }
      seen.set(id, i);
      if (key === 'catalogs' && fromModelCatalogs.has(id)) {
        skipped.push({ id, reason: `${path} is overridden by model_catalogs` });
        return;
      }
      const source = readSource(entry, id, path);
      if ('reason' in source) {
        skipped.push(source);
      } else {
        sources.push(source);
      }
      if (key === 'model_catalogs') {
        fromModelCatalogs.add(id);
      }
    });
  };
  readList('model_catalogs', modelCatalogs ?? []);
  readList('catalogs', catalogs ?? []);
  return { sources, skipped };
}
