import { buildExampleCall } from './buildExampleCall';

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

describe('buildExampleCall', () => {
  it('writes an OpenAI chat call for vLLM with the served model name', () => {
    const call = buildExampleCall({
      ...base,
      runtime: 'vllm',
      endpoint: 'http://llama.team-search.svc.cluster.local:8000/',
    });
    expect(call.protocol).toBe('openai-v1');
    expect(call.url).toBe(
      'http://llama.team-search.svc.cluster.local:8000/v1/chat/completions',
    );
    expect(call.command).toMatch(
      /^curl -sS -X POST 'http:\/\/llama\.team-search\.svc\.cluster\.local:8000\/v1\/chat\/completions' \\\n {2}-H 'Content-Type: application\/json' \\\n {2}-d '/,
    );
    expect(bodyOf(call.command)).toEqual({
      model: 'llama-3-1-8b-instruct',
      messages: [{ role: 'user', content: 'Say hello in one sentence.' }],
      max_tokens: 64,
    });
  });

  it('uses the model name "tgi" for TGI and embeddings for embedding models', () => {
    const tgi = buildExampleCall({
      ...base,
      runtime: 'tgi',
      endpoint: 'http://x:80',
    });
    expect(tgi.url).toBe('http://x:80/v1/chat/completions');
    expect(bodyOf(tgi.command).model).toBe('tgi');

    const embed = buildExampleCall({
      ...base,
      runtime: 'vllm',
      modelType: 'embedding',
      endpoint: 'http://e:8000',
    });
    expect(embed.url).toBe('http://e:8000/v1/embeddings');
    expect(embed.label).toBe('OpenAI-compatible embeddings');
    expect(bodyOf(embed.command)).toEqual({
      model: 'llama-3-1-8b-instruct',
      input: 'The food was delicious.',
    });
    const byTask = buildExampleCall({
      ...base,
      runtime: 'tgi',
      task: 'feature-extraction',
    });
    expect(byTask.url).toMatch(/\/v1\/embeddings$/);
  });

  it('writes the KServe v1 predict call by default for an InferenceService', () => {
    const call = buildExampleCall({
      ...base,
      runtime: 'kserve',
      endpoint: 'http://whisper.team-speech.example.com',
    });
    expect(call.protocol).toBe('kserve-v1');
    expect(call.url).toBe(
      'http://whisper.team-speech.example.com/v1/models/llama-3-1-8b-instruct-1-0-0:predict',
    );
    expect(bodyOf(call.command)).toEqual({
      instances: ['Say hello in one sentence.'],
    });
  });

  it('writes the KServe v2 infer call for protocol v2-inference', () => {
    const call = buildExampleCall({
      ...base,
      runtime: 'kserve',
      protocol: 'v2-inference',
    });
    expect(call.protocol).toBe('kserve-v2');
    // Without a recorded endpoint: the in-cluster address of the workload.
    expect(call.url).toBe(
      'http://llama-3-1-8b-instruct-1-0-0.team-search.svc.cluster.local/v2/models/llama-3-1-8b-instruct-1-0-0/infer',
    );
    expect(bodyOf(call.command).inputs[0]).toEqual({
      name: 'input-0',
      shape: [1],
      datatype: 'BYTES',
      data: ['Say hello in one sentence.'],
    });
  });

  it("uses KServe's OpenAI routes when the InferenceService speaks openai-v1", () => {
    const call = buildExampleCall({
      ...base,
      runtime: 'kserve',
      protocol: 'openai-v1',
      endpoint: 'http://isvc',
    });
    expect(call.url).toBe('http://isvc/openai/v1/chat/completions');
    expect(bodyOf(call.command).model).toBe(base.workload);
  });

  it('falls back to a GET of the endpoint for custom protocols and containers', () => {
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
    expect(
      buildExampleCall({ ...base, runtime: 'vllm', protocol: 'custom' })
        .protocol,
    ).toBe('custom');
    expect(
      buildExampleCall({
        ...base,
        runtime: 'container',
        protocol: 'v2-inference',
      }).protocol,
    ).toBe('kserve-v2');
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
