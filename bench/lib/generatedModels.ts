/*
 * The generated catalog of the browse benchmarks: N models with a realistic
 * spread of facet values and description words, the same every run, and
 * the same N as Components (for the catalog's own ingestion time).
 */
import type { JsonObject } from '@backstage/types';

/** Model types the generated catalogs use. */
export const TYPES = [
  'llm',
  'embedding',
  'reranker',
  'vision',
  'speech',
  'classifier',
];
/** Tasks the generated catalogs use. */
export const TASKS = [
  'text-generation',
  'feature-extraction',
  'text-ranking',
  'image-classification',
  'automatic-speech-recognition',
  'text-classification',
];
const LICENSES = ['apache-2.0', 'mit', 'llama3.1', 'cc-by-4.0', 'proprietary'];
const OWNERS = [
  'ml-platform',
  'team-vision',
  'team-search',
  'team-assistants',
  'ai-governance',
];
const LIFECYCLES = ['production', 'experimental', 'deprecated'];
const FRAMEWORKS = ['pytorch', 'onnx', 'tensorflow', 'jax'];
const TAGS = [
  'chat',
  'multilingual',
  'code',
  'retrieval',
  'fast',
  'small',
  'large',
  'gpu',
  'cpu',
  'quantized',
  'vision',
  'audio',
];
const WORDS = [
  'summarisation',
  'translation',
  'retrieval',
  'ranking',
  'support',
  'invoices',
  'defects',
  'churn',
  'forecast',
  'transcription',
  'captions',
  'search',
  'tickets',
  'routing',
  'contracts',
  'medical',
  'legal',
  'finance',
  'images',
  'speech',
];

/** The text queries the benchmark cycles through. */
export const QUERIES = [
  'summar',
  'translation',
  'retriev',
  'support tickets',
  'defects',
  'forecast',
  'speech',
  'legal',
  'invoices',
  'routing',
];

/** A small deterministic pseudo-random generator, so every run sees the same data. */
function random(seed: number) {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

export type GeneratedEntity = {
  apiVersion: string;
  kind: string;
  metadata: {
    name: string;
    namespace?: string;
    title: string;
    description: string;
    tags: string[];
  };
  spec: JsonObject;
};

/** N Model entities, `bench-model-<i>`. */
export function generateModels(n: number): GeneratedEntity[] {
  const rnd = random(42);
  const pick = <T>(list: T[]) => list[Math.floor(rnd() * list.length)];
  const models: GeneratedEntity[] = [];
  for (let i = 0; i < n; i++) {
    const words = Array.from({ length: 12 }, () => pick(WORDS)).join(' ');
    const tags = [...new Set([pick(TAGS), pick(TAGS), pick(TAGS)])];
    const type = pick(TYPES);
    const task = pick(TASKS);
    const lifecycle = pick(LIFECYCLES);
    const owner = pick(OWNERS);
    const framework = pick(FRAMEWORKS);
    const license = pick(LICENSES);
    const parameters = `${1 + Math.floor(rnd() * 70)}B`;
    const policy = pick(['open', 'approval']);
    models.push({
      apiVersion: 'aic.dev/v1alpha1',
      kind: 'Model',
      metadata: {
        name: `bench-model-${i}`,
        title: `Bench Model ${i}`,
        description: `A generated model for ${words}.`,
        tags,
      },
      spec: {
        type,
        task,
        lifecycle,
        owner,
        framework,
        license,
        parameters,
        versions: [
          {
            version: `1.0.${i % 10}`,
            artifact: `hf://acme/bench-model-${i}`,
            default: true,
          },
        ],
        access: { policy },
        serving: { runtime: 'vllm' },
      },
    });
  }
  return models;
}

/**
 * The same entities as Components (`bench-component-<i>`): same metadata,
 * the Component kind's own spec fields, for the catalog's ingestion time of
 * an equal number of built-in entities.
 */
export function asComponents(models: GeneratedEntity[]): GeneratedEntity[] {
  return models.map(m => ({
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Component',
    metadata: {
      ...m.metadata,
      name: m.metadata.name.replace('bench-model-', 'bench-component-'),
    },
    spec: {
      type: 'service',
      lifecycle: m.spec.lifecycle,
      owner: m.spec.owner,
    },
  }));
}

/**
 * The same entities as Components that also carry every spec field of the
 * Model they were made from (versions, access, serving, task, framework,
 * licence, parameters): as much data per entity as the Model, so that the
 * catalog's ingestion time of these against the Models' shows what the Model
 * kind itself costs (its processor, the change announcements, the browse
 * index following them), apart from what the catalog pays for more fields.
 */
export function asComponentsWithModelFields(
  models: GeneratedEntity[],
): GeneratedEntity[] {
  return asComponents(models).map((component, i) => ({
    ...component,
    metadata: {
      ...component.metadata,
      name: component.metadata.name.replace(
        'bench-component-',
        'bench-full-component-',
      ),
    },
    spec: { ...models[i].spec, ...component.spec },
  }));
}

/** A catalog file: one JSON document (valid YAML) per entity. */
export function toCatalogFile(entities: GeneratedEntity[]): string {
  return `${entities.map(e => JSON.stringify(e)).join('\n---\n')}\n`;
}

/**
 * A model with policy `approval`, approved by team-assistants, with one
 * version per request a load test makes (a team may hold one open request
 * per model and version).
 */
export function approvalModel(
  name: string,
  versions: number,
  title?: string,
): GeneratedEntity {
  return {
    apiVersion: 'aic.dev/v1alpha1',
    kind: 'Model',
    metadata: {
      name,
      namespace: 'default',
      title: title ?? name,
      description: `${name}, for load tests`,
      tags: [],
    },
    spec: {
      type: 'llm',
      lifecycle: 'experimental',
      owner: 'group:default/team-assistants',
      access: {
        policy: 'approval',
        approvers: ['group:default/team-assistants'],
      },
      versions: Array.from({ length: versions }, (_, i) => ({
        version: `1.0.${i}`,
        artifact: `hf://acme/${name}`,
        ...(i === 0 ? { default: true } : {}),
      })),
    },
  };
}
