import type { ModelEntityV1alpha1 } from '@aic/plugin-model-marketplace-common';

function model(
  name: string,
  serving: ModelEntityV1alpha1['spec']['serving'],
  versions: ModelEntityV1alpha1['spec']['versions'] = [
    { version: '1.0.0', artifact: `hf://acme/${name}`, default: true },
  ],
): ModelEntityV1alpha1 {
  return {
    apiVersion: 'aic.dev/v1alpha1',
    kind: 'Model',
    metadata: { name, namespace: 'default' },
    spec: {
      type: 'llm',
      lifecycle: 'production',
      owner: 'ml-platform',
      versions,
      access: { policy: 'open' },
      serving,
    },
  };
}

/** One model per runtime, shaped like the ones in examples/models.yaml. */
export const testModels = {
  vllm: model(
    'llama-3-1-8b-instruct',
    {
      runtime: 'vllm',
      image: 'vllm/vllm-openai:v0.6.3',
      args: ['--max-model-len=16384'],
      port: 8000,
      resources: { cpu: '4', memory: '32Gi', gpu: 1 },
      replicas: { min: 1, max: 3 },
    },
    [
      {
        version: '1.0.0',
        artifact: 'hf://meta-llama/Llama-3.1-8B-Instruct',
        default: true,
      },
      { version: '1.0.0-awq-int4', artifact: 's3://acme/llama/awq-int4/' },
    ],
  ),
  tgi: model(
    'mistral-7b-instruct',
    {
      runtime: 'tgi',
      image: 'ghcr.io/huggingface/text-generation-inference:2.4.0',
      port: 80,
      resources: { cpu: '4', memory: '24Gi', gpu: 1 },
      replicas: { min: 0, max: 2 },
    },
    [
      { version: 'v0.2', artifact: 'hf://mistralai/Mistral-7B-Instruct-v0.2' },
      {
        version: 'v0.3',
        artifact: 'hf://mistralai/Mistral-7B-Instruct-v0.3',
        default: true,
      },
    ],
  ),
  container: model('multilingual-e5-large', {
    runtime: 'container',
    image: 'ghcr.io/huggingface/text-embeddings-inference:1.5',
    args: ['--pooling=mean'],
    port: 80,
    resources: { cpu: '2', memory: '6Gi', gpu: 0 },
    replicas: { min: 1, max: 2 },
  }),
  kserve: model(
    'bge-large-en-v1-5',
    {
      runtime: 'kserve',
      modelFormat: 'huggingface',
      image: 'kserve/huggingfaceserver:v0.14.0',
      args: ['--task=text_embedding'],
      port: 8080,
      resources: { cpu: '2', memory: '8Gi', gpu: 1 },
      replicas: { min: 1, max: 4 },
    },
    [{ version: '1.5.0', artifact: 'gs://acme/bge/1.5.0/', default: true }],
  ),
  kserveLlm: model(
    'llama-3-1-8b-instruct',
    {
      runtime: 'kserve-llm',
      args: ['--max-model-len=16384'],
      resources: { cpu: '4', memory: '32Gi', gpu: 1 },
      replicas: { min: 2, max: 4 },
    },
    [
      {
        version: '1.0.0',
        artifact: 'hf://meta-llama/Llama-3.1-8B-Instruct',
        default: true,
      },
    ],
  ),
};
