import type {
  ModelServingProtocol,
  ModelServingRuntime,
} from '../entity/ModelEntityV1alpha1';

/** Protocols an example call can be written for. @public */
export type ExampleCallProtocol =
  | 'openai-v1'
  | 'kserve-v1'
  | 'kserve-v2'
  | 'custom';

/** What {@link buildExampleCall} needs to know about a deployment. @public */
export type ExampleCallTarget = {
  /** `spec.serving.runtime` of the model. */
  runtime?: ModelServingRuntime | string;
  /** `spec.serving.protocol` of the model. */
  protocol?: ModelServingProtocol | string;
  /** `spec.type` and `spec.task`: embeddings get an embeddings call. */
  modelType?: string;
  task?: string;
  /** The model's entity name: the served model name of vLLM. */
  modelName: string;
  /** The Deployment or InferenceService name: the KServe model name. */
  workload: string;
  namespace: string;
  /** The recorded endpoint; without it the in-cluster service address. */
  endpoint?: string;
};

/** A call to paste into a shell. @public */
export type ExampleCall = {
  protocol: ExampleCallProtocol;
  /** A short name of the protocol for the UI. */
  label: string;
  /** The URL the call posts to. */
  url: string;
  /** A complete `curl` command line. */
  command: string;
};

const EMBEDDING_TASKS = ['feature-extraction', 'sentence-similarity'];

/** Quotes a value for a POSIX shell. */
function shellQuote(value: string): string {
  return `'${value.replace(/'/g, `'\\''`)}'`;
}

function curl(url: string, body?: unknown): string {
  const lines = [
    `curl -sS -X ${body === undefined ? 'GET' : 'POST'} ${shellQuote(url)}`,
  ];
  if (body !== undefined) {
    lines.push(`-H 'Content-Type: application/json'`);
    lines.push(`-d ${shellQuote(JSON.stringify(body, null, 2))}`);
  }
  return lines.join(' \\\n  ');
}

function resolveProtocol(target: ExampleCallTarget): ExampleCallProtocol {
  const { runtime, protocol } = target;
  if (protocol === 'custom') {
    return 'custom';
  }
  if (protocol === 'openai-v1') {
    return 'openai-v1';
  }
  if (protocol === 'v2-inference') {
    return 'kserve-v2';
  }
  if (runtime === 'vllm' || runtime === 'tgi') {
    return 'openai-v1';
  }
  if (runtime === 'kserve') {
    return 'kserve-v1';
  }
  return 'custom';
}

/**
 * Builds a copyable example call for a deployed model, after its runtime
 * and protocol: the OpenAI-compatible API of vLLM and TGI (chat completions,
 * or embeddings for embedding models), KServe's v1 (`:predict`) and v2
 * (`/infer`) inference protocols for InferenceServices (KServe's OpenAI
 * routes under `/openai` when the protocol is `openai-v1`), and a plain GET
 * of the endpoint for custom containers.
 *
 * @public
 */
export function buildExampleCall(target: ExampleCallTarget): ExampleCall {
  const base = (
    target.endpoint ||
    `http://${target.workload}.${target.namespace}.svc.cluster.local`
  ).replace(/\/+$/, '');
  const protocol = resolveProtocol(target);
  const kserve = target.runtime === 'kserve';

  if (protocol === 'openai-v1') {
    // vLLM serves the model under --served-model-name (the entity name);
    // TGI answers to any model name; KServe's runtime uses the service name.
    let model = target.modelName;
    if (target.runtime === 'tgi') {
      model = 'tgi';
    } else if (kserve) {
      model = target.workload;
    }
    const prefix = kserve ? `${base}/openai/v1` : `${base}/v1`;
    const embeddings =
      target.modelType === 'embedding' ||
      EMBEDDING_TASKS.includes(target.task ?? '');
    if (embeddings) {
      const url = `${prefix}/embeddings`;
      return {
        protocol,
        label: 'OpenAI-compatible embeddings',
        url,
        command: curl(url, { model, input: 'The food was delicious.' }),
      };
    }
    const url = `${prefix}/chat/completions`;
    return {
      protocol,
      label: 'OpenAI-compatible chat completions',
      url,
      command: curl(url, {
        model,
        messages: [{ role: 'user', content: 'Say hello in one sentence.' }],
        max_tokens: 64,
      }),
    };
  }

  if (protocol === 'kserve-v1') {
    const url = `${base}/v1/models/${target.workload}:predict`;
    return {
      protocol,
      label: 'KServe v1 inference protocol',
      url,
      command: curl(url, { instances: ['Say hello in one sentence.'] }),
    };
  }

  if (protocol === 'kserve-v2') {
    const url = `${base}/v2/models/${target.workload}/infer`;
    return {
      protocol,
      label: 'KServe v2 (Open Inference Protocol)',
      url,
      command: curl(url, {
        inputs: [
          {
            name: 'input-0',
            shape: [1],
            datatype: 'BYTES',
            data: ['Say hello in one sentence.'],
          },
        ],
      }),
    };
  }

  return {
    protocol,
    label: 'Custom protocol (see the model card)',
    url: `${base}/`,
    command: curl(`${base}/`),
  };
}
