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

/**
 * Parses a Kubeflow Model Catalog sources file:
 *
 * ```yaml
 * catalogs:
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
  const catalogs = optionalList(root, 'catalogs', '');
  if (!catalogs) {
    throw new InputError('catalogs is required');
  }
  const sources: KubeflowCatalogSource[] = [];
  const skipped: SkippedKubeflowCatalogSource[] = [];
  const seen = new Map<string, number>();
  catalogs.forEach((value, i) => {
    const path = fieldPath('catalogs', i);
    const entry = requireRecord(value, path);
    const id = requiredString(entry, 'id', path);
    const first = seen.get(id);
    if (first !== undefined) {
      throw new InputError(
        `${path}.id "${id}" is not unique: catalogs[${first}] has the same id`,
      );
    }
    seen.set(id, i);
    const name = optionalString(entry, 'name', path) ?? id;
    const type = requiredString(entry, 'type', path);
    const enabled = optionalBoolean(entry, 'enabled', path) ?? true;
    const labels = optionalStringList(entry, 'labels', path) ?? [];
    const properties = optionalRecord(entry, 'properties', path) ?? {};
    const propertiesPath = fieldPath(path, 'properties');
    // Older catalogs list exclusions under properties.excludedModels.
    const excluded = [
      ...(optionalStringList(entry, 'excludedModels', path) ?? []),
      ...(optionalStringList(properties, 'excludedModels', propertiesPath) ??
        []),
    ];
    const filter = new ModelNameFilter({
      included: optionalStringList(entry, 'includedModels', path),
      excluded,
      path,
    });
    if (type !== 'yaml') {
      skipped.push({ id, reason: `type "${type}" is not read, only "yaml"` });
      return;
    }
    const yamlCatalogPath = requiredString(
      properties,
      'yamlCatalogPath',
      propertiesPath,
    );
    if (!enabled) {
      skipped.push({ id, reason: 'disabled' });
      return;
    }
    sources.push({ id, name, labels, filter, yamlCatalogPath });
  });
  return { sources, skipped };
}
