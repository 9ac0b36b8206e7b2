import {
  buildExampleCall,
  type ExampleCall,
  type ExampleCallTarget,
} from './buildExampleCall';

const base = {
  modelName: 'llama-3-1-8b-instruct',
  workload: 'llama-3-1-8b-instruct-1-0-0',
  namespace: 'team-search',
};

/** The JSON body of a generated command, parsed back. */
function bodyOf(command: string): any {
  const match = /-d '([\s\S]*)'$/.exec(command);
  return match ? JSON.parse(match[1].replace(/'\\''/g, "'")) : undefined;
}

type Input = ExampleCallTarget;
type Call = ExampleCall;

describe('buildExampleCall', () => {
  it.each<
    [
      string,
      Partial<Input>,
      {
        call: Partial<Record<keyof Call, unknown>>;
        /** The JSON body; undefined for a GET. */
        body: unknown;
      },
    ]
  >([
    [
      'an OpenAI chat call for vLLM with the served model name',
      {
        runtime: 'vllm',
        endpoint: 'http://llama.team-search.svc.cluster.local:8000/',
      },
      {
        call: {
          protocol: 'openai-v1',
          url: 'http://llama.team-search.svc.cluster.local:8000/v1/chat/completions',
        },
        body: {
          model: 'llama-3-1-8b-instruct',
          messages: [{ role: 'user', content: 'Say hello in one sentence.' }],
          max_tokens: 64,
        },
      },
    ],
    [
      'the model name "tgi" for TGI',
      { runtime: 'tgi', endpoint: 'http://x:80' },
      {
        call: { url: 'http://x:80/v1/chat/completions' },
        body: expect.objectContaining({ model: 'tgi' }),
      },
    ],
    [
      'embeddings for an embedding model',
      { runtime: 'vllm', modelType: 'embedding', endpoint: 'http://e:8000' },
      {
        call: {
          url: 'http://e:8000/v1/embeddings',
          label: 'OpenAI-compatible embeddings',
        },
        body: {
          model: 'llama-3-1-8b-instruct',
          input: 'The food was delicious.',
        },
      },
    ],
    [
      'embeddings for a feature-extraction task',
      { runtime: 'tgi', task: 'feature-extraction' },
      {
        call: { url: expect.stringMatching(/\/v1\/embeddings$/) },
        body: expect.objectContaining({ input: 'The food was delicious.' }),
      },
    ],
    [
      'the KServe v1 predict call by default for an InferenceService',
      { runtime: 'kserve', endpoint: 'http://whisper.team-speech.example.com' },
      {
        call: {
          protocol: 'kserve-v1',
          url: 'http://whisper.team-speech.example.com/v1/models/llama-3-1-8b-instruct-1-0-0:predict',
        },
        body: { instances: ['Say hello in one sentence.'] },
      },
    ],
    [
      // without a recorded endpoint: the in-cluster address of the workload
      'the KServe v2 infer call for protocol v2-inference',
      { runtime: 'kserve', protocol: 'v2-inference' },
      {
        call: {
          protocol: 'kserve-v2',
          url: 'http://llama-3-1-8b-instruct-1-0-0.team-search.svc.cluster.local/v2/models/llama-3-1-8b-instruct-1-0-0/infer',
        },
        body: expect.objectContaining({
          inputs: [
            {
              name: 'input-0',
              shape: [1],
              datatype: 'BYTES',
              data: ['Say hello in one sentence.'],
            },
          ],
        }),
      },
    ],
    [
      "KServe's OpenAI routes when the InferenceService speaks openai-v1",
      { runtime: 'kserve', protocol: 'openai-v1', endpoint: 'http://isvc' },
      {
        call: { url: 'http://isvc/openai/v1/chat/completions' },
        body: expect.objectContaining({ model: base.workload }),
      },
    ],
    [
      'a custom call for vLLM with protocol custom',
      { runtime: 'vllm', protocol: 'custom' },
      { call: { protocol: 'custom' }, body: undefined },
    ],
    [
      'the KServe v2 call for a container with protocol v2-inference',
      { runtime: 'container', protocol: 'v2-inference' },
      { call: { protocol: 'kserve-v2' }, body: expect.anything() },
    ],
  ])('writes %s', (_, input, expected) => {
    const call = buildExampleCall({ ...base, ...input } as Input);
    expect(call).toMatchObject(expected.call);
    // a GET has no body
    expect(bodyOf(call.command)).toEqual(expected.body);
  });

  it('writes a curl POST with a JSON body', () => {
    const call = buildExampleCall({
      ...base,
      runtime: 'vllm',
      endpoint: 'http://llama.team-search.svc.cluster.local:8000/',
    });
    expect(call.command).toMatch(
      /^curl -sS -X POST 'http:\/\/llama\.team-search\.svc\.cluster\.local:8000\/v1\/chat\/completions' \\\n {2}-H 'Content-Type: application\/json' \\\n {2}-d '/,
    );
  });

  it('falls back to a GET of the endpoint for containers', () => {
    expect(
      buildExampleCall({
        ...base,
        runtime: 'container',
        endpoint: 'http://c:9000',
      }),
    ).toEqual({
      protocol: 'custom',
      label: 'Custom protocol (see the model card)',
      url: 'http://c:9000/',
      command: "curl -sS -X GET 'http://c:9000/'",
    });
  });

  it('quotes single quotes for the shell', () => {
    const call = buildExampleCall({
      ...base,
      runtime: 'container',
      endpoint: "http://h/it's",
    });
    expect(call.command).toBe(`curl -sS -X GET 'http://h/it'\\''s/'`);
  });
});
