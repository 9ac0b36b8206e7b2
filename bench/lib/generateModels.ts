/*
 * Generated Model entities for the benchmarks: N models with facets spread
 * over a fixed vocabulary, the same on every run (a seeded generator).
 */

const TYPES = [
  'llm',
  'embedding',
  'reranker',
  'vision',
  'speech',
  'classifier',
];
const TASKS = [
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

/** A small deterministic pseudo-random generator, so every run sees the same data. */
function random(seed: number) {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

/** N Model entities as one multi-document YAML file. */
export function generateModels(n: number): string {
  const rnd = random(42);
  const pick = <T>(list: T[]) => list[Math.floor(rnd() * list.length)];
  const docs: string[] = [];
  for (let i = 0; i < n; i++) {
    const words = Array.from({ length: 12 }, () => pick(WORDS)).join(' ');
    const tags = [...new Set([pick(TAGS), pick(TAGS), pick(TAGS)])];
    docs.push(
      [
        'apiVersion: aic.dev/v1alpha1',
        'kind: Model',
        'metadata:',
        `  name: bench-model-${i}`,
        `  title: Bench Model ${i}`,
        `  description: A generated model for ${words}.`,
        `  tags: [${tags.join(', ')}]`,
        'spec:',
        `  type: ${pick(TYPES)}`,
        `  task: ${pick(TASKS)}`,
        `  lifecycle: ${pick(LIFECYCLES)}`,
        `  owner: ${pick(OWNERS)}`,
        `  framework: ${pick(FRAMEWORKS)}`,
        `  license: ${pick(LICENSES)}`,
        `  parameters: ${1 + Math.floor(rnd() * 70)}B`,
        '  versions:',
        `    - version: "1.0.${i % 10}"`,
        `      artifact: hf://acme/bench-model-${i}`,
        '      default: true',
        '  access:',
        `    policy: ${pick(['open', 'approval'])}`,
        '  serving:',
        '    runtime: vllm',
      ].join('\n'),
    );
  }
  return `${docs.join('\n---\n')}\n`;
}

/** Search words that hit part of the generated models. */
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
