import { Entity, KubernetesValidatorFunctions } from '@backstage/catalog-model';
import { InputError } from '@backstage/errors';
import {
  ANNOTATION_MODEL_CARD,
  MODEL_API_VERSION,
  MODEL_KIND,
  splitFrontMatter,
  validateModelEntity,
} from '@aic/plugin-model-marketplace-common';
import type { JsonObject, JsonValue } from '@backstage/types';
import { parse } from 'yaml';
import { toEntityName, toTag, toTags } from '../import/entityNames';
import {
  fieldPath,
  isRecord,
  optionalList,
  optionalRecord,
  optionalString,
  optionalStringList,
  requireRecord,
  requiredString,
} from '../import/fields';
import {
  evaluationOf,
  MetricConvention,
  metricConvention,
} from '../import/metricConventions';
import { modelTypeForTasks } from '../import/modelTypeForTask';

/** The front-matter block that carries what a Hugging Face card lacks. */
export const MODEL_CARD_BLOCK = 'aic';

/** The keys of the `aic` block. */
const AIC_KEYS = new Set([
  'name',
  'namespace',
  'title',
  'description',
  'tags',
  'type',
  'lifecycle',
  'owner',
  'system',
  'task',
  'framework',
  'parameters',
  'baseModel',
  'datasets',
  'versions',
  'access',
  'serving',
]);

/**
 * Where each Model field comes from, for error messages: a validator error on
 * `spec.owner` tells the author to fix `aic.owner`.
 */
const FRONT_MATTER_KEY: Record<string, string> = {
  'metadata.name': 'aic.name',
  'metadata.title': 'aic.title',
  'metadata.description': 'aic.description',
  'metadata.tags': 'tags, aic.tags',
  'spec.type': 'aic.type',
  'spec.lifecycle': 'aic.lifecycle',
  'spec.owner': 'aic.owner',
  'spec.system': 'aic.system',
  'spec.task': 'pipeline_tag',
  'spec.framework': 'library_name',
  'spec.parameters': 'aic.parameters',
  'spec.languages': 'language',
  'spec.license': 'license',
  'spec.licenseUrl': 'license_link',
  'spec.baseModel': 'base_model, aic.baseModel',
  'spec.datasets': 'datasets, aic.datasets',
  'spec.versions': 'aic.versions',
  'spec.access': 'aic.access',
  'spec.serving': 'aic.serving',
};

function withFrontMatterKey(message: string): string {
  const field = /\b((?:spec|metadata)\.[A-Za-z]+)/.exec(message)?.[1];
  const key = field && FRONT_MATTER_KEY[field];
  return key ? `${message} (front matter: ${key})` : message;
}

/** The first `# heading` and the first paragraph of the card's body. */
function titleAndSummary(body: string) {
  const title = /^#[ \t]+(.+?)[ \t#]*$/m.exec(body)?.[1]?.trim();
  const paragraph = body
    .split(/\r?\n[ \t]*\r?\n/)
    .map(p => p.trim())
    .find(
      p =>
        p &&
        !/^(#|```|\||<|!\[|[-*] |>|\d+\. )/.test(p) &&
        !/^[-=]{3,}$/.test(p),
    );
  const summary = paragraph
    ?.replace(/\s+/g, ' ')
    .replace(/\[([^\]]*)\]\([^)]*\)/g, '$1')
    .replace(/[*_`]/g, '');
  return {
    title,
    summary:
      summary && summary.length > 400
        ? `${summary.slice(0, 397).trimEnd()}...`
        : summary,
  };
}

/** A number from a model-index metric value (`71.2`, `"71.2"`). */
function metricValue(value: unknown, path: string): number {
  let n = NaN;
  if (typeof value === 'number') {
    n = value;
  } else if (typeof value === 'string' && value.trim() !== '') {
    n = Number(value);
  }
  if (!Number.isFinite(n)) {
    throw new InputError(
      `${path} must be a number, not ${JSON.stringify(value)}`,
    );
  }
  return n;
}

/**
 * The metrics of `model-index`: each result's metrics, named
 * `<dataset>/<metric type>` (`mmlu/accuracy`, `librispeech-test-clean/wer`),
 * with direction and unit from the metric type where known.
 */
function modelIndexMetrics(frontMatter: Record<string, unknown>) {
  const metrics: Record<string, number> = {};
  const info: Record<string, MetricConvention> = {};
  const index = optionalList(frontMatter, 'model-index', '') ?? [];
  index.forEach((entry, i) => {
    const entryPath = fieldPath('model-index', i);
    const results =
      optionalList(requireRecord(entry, entryPath), 'results', entryPath) ?? [];
    results.forEach((result, j) => {
      const resultPath = fieldPath(fieldPath(entryPath, 'results'), j);
      const r = requireRecord(result, resultPath);
      const dataset = optionalRecord(r, 'dataset', resultPath) ?? {};
      const datasetPath = fieldPath(resultPath, 'dataset');
      const datasetName =
        optionalString(dataset, 'name', datasetPath) ??
        optionalString(dataset, 'type', datasetPath);
      const list = optionalList(r, 'metrics', resultPath) ?? [];
      list.forEach((metric, k) => {
        const metricPath = fieldPath(fieldPath(resultPath, 'metrics'), k);
        const m = requireRecord(metric, metricPath);
        const type = requiredString(m, 'type', metricPath);
        const value = metricValue(m.value, fieldPath(metricPath, 'value'));
        const prefix = datasetName ? toTag(datasetName) : undefined;
        const metricName = toTag(type) ?? type;
        let key = prefix ? `${prefix}/${metricName}` : metricName;
        for (let n = 2; key in metrics; n++) {
          key = `${prefix ? `${prefix}/${metricName}` : metricName} #${n}`;
        }
        metrics[key] = value;
        const convention = metricConvention(type);
        if (convention) {
          info[key] = convention;
        }
      });
    });
  });
  return { metrics, info };
}

/** The default version's index: the one marked default, else the first. */
function defaultVersionIndex(versions: unknown[]): number {
  const marked = versions.findIndex(v => isRecord(v) && v.default === true);
  return marked >= 0 ? marked : 0;
}

/**
 * Turns a Hugging Face-style model card (markdown with YAML front matter)
 * into a Model entity, and validates it as the catalog validates a
 * hand-written Model. Throws an InputError naming the front-matter field when
 * the card cannot describe a valid Model; nothing is returned half-built.
 *
 * `fileName` is the card's file name; the entity's `aic.dev/model-card`
 * annotation points at it, relative to the location the card was read from.
 * `fallbackName` names the model when neither `aic.name` nor
 * `model-index[0].name` does (the card's folder for a `README.md`).
 */
export function modelCardToEntity(
  text: string,
  options: { fileName: string; fallbackName: string; baseUrl?: string },
): Entity {
  const { frontMatter: yaml, body } = splitFrontMatter(text);
  if (yaml === undefined) {
    throw new InputError(
      'the card has no YAML front matter (a first line "---", the YAML, and a closing "---")',
    );
  }
  let doc: unknown;
  try {
    doc = parse(yaml);
  } catch (error) {
    throw new InputError(
      `the front matter is not valid YAML: ${(error as Error).message}`,
    );
  }
  const fm = requireRecord(doc ?? {}, 'the front matter');
  const aicValue = fm[MODEL_CARD_BLOCK];
  if (aicValue === undefined || aicValue === null) {
    throw new InputError(
      `${MODEL_CARD_BLOCK} is required: the front matter must name at least aic.owner, aic.lifecycle and aic.versions`,
    );
  }
  // Parsed YAML is JSON data.
  const aic = requireRecord(aicValue, MODEL_CARD_BLOCK) as JsonObject;
  for (const key of Object.keys(aic)) {
    if (!AIC_KEYS.has(key)) {
      throw new InputError(
        `aic.${key} is not a known field; known fields are ${[...AIC_KEYS].join(
          ', ',
        )}`,
      );
    }
  }
  const aicString = (key: string) => optionalString(aic, key, MODEL_CARD_BLOCK);

  // Hugging Face keys.
  const licenseValue = optionalString(fm, 'license', '');
  const license =
    licenseValue === 'other'
      ? optionalString(fm, 'license_name', '') ?? licenseValue
      : licenseValue;
  // A relative license_link (`LICENSE`) names a file beside the card.
  const licenseLinkValue = optionalString(fm, 'license_link', '');
  const licenseLink = (() => {
    if (!licenseLinkValue || /^https?:\/\//.test(licenseLinkValue)) {
      return licenseLinkValue;
    }
    if (!options.baseUrl) {
      return undefined;
    }
    try {
      return new URL(licenseLinkValue, options.baseUrl).toString();
    } catch {
      return undefined;
    }
  })();
  const hfTags =
    optionalStringList(fm, 'tags', '', { allowSingle: true }) ?? [];
  const languages = optionalStringList(fm, 'language', '', {
    allowSingle: true,
  });
  const libraryName = optionalString(fm, 'library_name', '');
  const pipelineTag = optionalString(fm, 'pipeline_tag', '');
  const baseModels = optionalStringList(fm, 'base_model', '', {
    allowSingle: true,
  });
  const hfDatasets = optionalStringList(fm, 'datasets', '', {
    allowSingle: true,
  });
  const { metrics, info } = modelIndexMetrics(fm);

  // The name: aic.name, else the model-index name, else the file's.
  const indexName = (() => {
    const first = (optionalList(fm, 'model-index', '') ?? [])[0];
    return isRecord(first) && typeof first.name === 'string'
      ? first.name
      : undefined;
  })();
  const explicitName = aicString('name');
  const name =
    explicitName ??
    (indexName && toEntityName(indexName)) ??
    toEntityName(options.fallbackName);
  if (!name || !KubernetesValidatorFunctions.isValidObjectName(name)) {
    throw new InputError(
      explicitName
        ? `aic.name "${explicitName}" is not a valid entity name (letters, digits, '-', '_' and '.', at most 63 characters)`
        : 'aic.name is required: the card gives no usable name',
    );
  }

  // Entity refs: explicit aic refs win over the derived Hugging Face ids.
  const baseModel =
    aicString('baseModel') ??
    (baseModels?.length ? toEntityName(baseModels[0]) : undefined);
  const datasets =
    optionalStringList(aic, 'datasets', MODEL_CARD_BLOCK) ??
    hfDatasets?.map(d => toEntityName(d)).filter((d): d is string => !!d);

  // Versions come from aic.versions; model-index metrics join the default
  // version's own metrics (which win on a clash).
  const versionsValue = aic.versions;
  if (versionsValue === undefined || versionsValue === null) {
    throw new InputError(
      'aic.versions is required: list the released versions with version and artifact',
    );
  }
  if (!Array.isArray(versionsValue)) {
    throw new InputError('aic.versions must be a list');
  }
  const versions: JsonValue[] = versionsValue.map(v =>
    isRecord(v) ? { ...v } : v,
  );
  if (Object.keys(metrics).length && versions.length) {
    const i = defaultVersionIndex(versions);
    const target = versions[i];
    if (isRecord(target)) {
      const own = isRecord(target.metrics)
        ? (target.metrics as JsonObject)
        : {};
      versions[i] = { ...target, metrics: { ...metrics, ...own } };
    }
  }

  const heading = titleAndSummary(body);
  const title = aicString('title') ?? heading.title;
  const description = aicString('description') ?? heading.summary;
  const tags = toTags([
    ...hfTags,
    ...(optionalStringList(aic, 'tags', MODEL_CARD_BLOCK) ?? []),
  ]);
  const task = aicString('task') ?? pipelineTag;

  const annotations: Record<string, string> = {
    [ANNOTATION_MODEL_CARD]: `./${options.fileName}`,
  };

  const derivedEvaluation = evaluationOf(info);
  const passThrough = (key: string) =>
    aic[key] === undefined ? {} : { [key]: aic[key] };
  const entity: Entity = {
    apiVersion: MODEL_API_VERSION,
    kind: MODEL_KIND,
    metadata: {
      name,
      ...(aicString('namespace') ? { namespace: aicString('namespace') } : {}),
      ...(title ? { title } : {}),
      ...(description ? { description } : {}),
      ...(tags.length ? { tags } : {}),
      ...(licenseLink
        ? { links: [{ url: licenseLink, title: 'License' }] }
        : {}),
      annotations,
    },
    spec: {
      type: aic.type ?? modelTypeForTasks(task ? [task] : []),
      lifecycle: aic.lifecycle,
      owner: aic.owner,
      ...passThrough('system'),
      ...(task ? { task } : {}),
      ...(aicString('framework') ?? libraryName
        ? { framework: aicString('framework') ?? libraryName }
        : {}),
      ...passThrough('parameters'),
      ...(languages?.length ? { languages } : {}),
      ...(license ? { license } : {}),
      ...(licenseLink ? { licenseUrl: licenseLink } : {}),
      ...(baseModel ? { baseModel } : {}),
      ...(datasets?.length ? { datasets } : {}),
      versions,
      ...(aic.evaluation === undefined && derivedEvaluation
        ? { evaluation: derivedEvaluation }
        : passThrough('evaluation')),
      ...passThrough('access'),
      ...passThrough('serving'),
    },
  };
  try {
    validateModelEntity(entity);
  } catch (error) {
    throw new InputError(withFrontMatterKey((error as Error).message));
  }
  return entity;
}
