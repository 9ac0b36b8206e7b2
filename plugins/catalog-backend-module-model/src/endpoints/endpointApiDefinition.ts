import type { ModelServingProtocol } from '@aic/plugin-model-marketplace-common';

/**
 * The protocol a runtime speaks when the model does not say: vLLM, TGI and
 * KServe's LLMInferenceService serve the OpenAI-compatible API; a KServe
 * InferenceService the Open Inference Protocol (v2); a custom container
 * anything.
 */
export function defaultProtocol(runtime?: string): ModelServingProtocol {
  switch (runtime) {
    case 'vllm':
    case 'tgi':
    case 'kserve-llm':
      return 'openai-v1';
    case 'kserve':
      return 'v2-inference';
    default:
      return 'custom';
  }
}

const jsonBody = {
  required: true,
  content: { 'application/json': { schema: { type: 'object' } } },
};
const jsonAnswer = (description: string) => ({
  description,
  content: { 'application/json': { schema: { type: 'object' } } },
});

/** The OpenAI-compatible routes an OpenAI-style model server answers. */
function openAiPaths(servedModelName: string) {
  const modelNote = `Send "model": "${servedModelName}".`;
  return {
    '/v1/models': {
      get: {
        summary: 'The models this server serves.',
        responses: { '200': jsonAnswer('A list of models.') },
      },
    },
    '/v1/chat/completions': {
      post: {
        summary: `Chat completion. ${modelNote}`,
        requestBody: jsonBody,
        responses: { '200': jsonAnswer('A chat completion.') },
      },
    },
    '/v1/completions': {
      post: {
        summary: `Text completion. ${modelNote}`,
        requestBody: jsonBody,
        responses: { '200': jsonAnswer('A completion.') },
      },
    },
    '/v1/embeddings': {
      post: {
        summary: `Embeddings, for embedding models. ${modelNote}`,
        requestBody: jsonBody,
        responses: { '200': jsonAnswer('Embeddings.') },
      },
    },
  };
}

/** The Open Inference Protocol (KServe v2) routes of one model. */
function v2Paths(servedModelName: string) {
  const model = encodeURIComponent(servedModelName);
  return {
    '/v2/health/ready': {
      get: {
        summary: 'Whether the server is ready.',
        responses: { '200': { description: 'Ready.' } },
      },
    },
    [`/v2/models/${model}`]: {
      get: {
        summary: 'Model metadata: inputs, outputs, platform.',
        responses: { '200': jsonAnswer('Model metadata.') },
      },
    },
    [`/v2/models/${model}/ready`]: {
      get: {
        summary: 'Whether the model is ready.',
        responses: { '200': { description: 'Ready.' } },
      },
    },
    [`/v2/models/${model}/infer`]: {
      post: {
        summary: 'Inference request with named input tensors.',
        requestBody: jsonBody,
        responses: { '200': jsonAnswer('Output tensors.') },
      },
    },
  };
}

/**
 * An OpenAPI 3 document for a deployed model's endpoint: its server URL and
 * the routes of the protocol it speaks (none for `custom`), so that API
 * docs render it and tools can call it.
 */
export function endpointApiDefinition(options: {
  title: string;
  endpoint: string;
  protocol: ModelServingProtocol;
  servedModelName: string;
  version: string;
}): string {
  let paths: Record<string, unknown> = {};
  if (options.protocol === 'openai-v1') {
    paths = openAiPaths(options.servedModelName);
  } else if (options.protocol === 'v2-inference') {
    paths = v2Paths(options.servedModelName);
  }
  return JSON.stringify(
    {
      openapi: '3.0.3',
      info: {
        title: options.title,
        version: options.version || '0',
        description: `Protocol: ${options.protocol}. Written by the model marketplace for a Ready deployment; removed when it is undeployed.`,
      },
      servers: [{ url: options.endpoint }],
      paths,
    },
    null,
    2,
  );
}
