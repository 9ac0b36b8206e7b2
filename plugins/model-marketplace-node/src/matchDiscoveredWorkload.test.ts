import { matchDiscoveredWorkload } from './matchDiscoveredWorkload';
import { storageUrisOf } from './KubernetesWorkloadDiscovery';
import { testModels } from './__testUtils__/models';

const models = [testModels.kserve, testModels.vllm, testModels.kserveLlm];

describe('matchDiscoveredWorkload', () => {
  it('matches by the aic.dev/model label, with the labelled version', () => {
    expect(
      matchDiscoveredWorkload(
        {
          labels: {
            'aic.dev/model': 'bge-large-en-v1-5',
            'aic.dev/model-version': '1.5.0',
          },
          storageUris: ['s3://elsewhere/'],
        },
        models,
      ),
    ).toEqual({
      model: 'model:default/bge-large-en-v1-5',
      version: '1.5.0',
      by: 'label',
    });
  });

  it('takes a labelled model’s version from its storage URI, else leaves it empty', () => {
    const labels = { 'aic.dev/model': 'bge-large-en-v1-5' };
    expect(
      matchDiscoveredWorkload(
        { labels, storageUris: ['gs://acme/bge/1.5.0/'] },
        models,
      ),
    ).toEqual({
      model: 'model:default/bge-large-en-v1-5',
      version: '1.5.0',
      by: 'label',
    });
    expect(
      matchDiscoveredWorkload(
        {
          labels: { ...labels, 'aic.dev/model-version': '9.9.9' },
          storageUris: ['s3://elsewhere/'],
        },
        models,
      ),
    ).toEqual({
      model: 'model:default/bge-large-en-v1-5',
      version: '',
      by: 'label',
    });
    // a model without versions matches by its label alone
    const bare = {
      ...testModels.kserve,
      spec: { ...testModels.kserve.spec, versions: undefined },
    } as any;
    expect(
      matchDiscoveredWorkload({ labels, storageUris: [] }, [bare]),
    ).toEqual({
      model: 'model:default/bge-large-en-v1-5',
      version: '',
      by: 'label',
    });
  });

  it('matches by a storage URI equal to a version artifact (trailing slash aside)', () => {
    expect(
      matchDiscoveredWorkload(
        { labels: {}, storageUris: ['gs://acme/bge/1.5.0'] },
        models,
      ),
    ).toEqual({
      model: 'model:default/bge-large-en-v1-5',
      version: '1.5.0',
      by: 'storage-uri',
    });
  });

  it('leaves unknown and ambiguous workloads unmatched', () => {
    expect(
      matchDiscoveredWorkload(
        { labels: { 'aic.dev/model': 'nope' }, storageUris: ['s3://x/y'] },
        models,
      ),
    ).toBeUndefined();
    // two models share the artifact of the vLLM and the kserve-llm fixture
    expect(
      matchDiscoveredWorkload(
        {
          labels: {},
          storageUris: ['hf://meta-llama/Llama-3.1-8B-Instruct'],
        },
        [
          testModels.kserveLlm,
          {
            ...testModels.kserveLlm,
            metadata: { name: 'copy', namespace: 'default' },
          },
        ],
      ),
    ).toBeUndefined();
  });
});

describe('storageUrisOf', () => {
  it('reads predictor.model, framework keys and LLMInferenceService spec.model.uri', () => {
    expect(
      storageUrisOf({
        kind: 'InferenceService',
        spec: {
          predictor: {
            minReplicas: 1,
            model: { storageUri: 's3://a/b' },
            sklearn: { storageUri: 'gs://c/d' },
          },
        },
      }),
    ).toEqual(['s3://a/b', 'gs://c/d']);
    expect(
      storageUrisOf({
        kind: 'LLMInferenceService',
        spec: { model: { uri: 'hf://org/m' } },
      }),
    ).toEqual(['hf://org/m']);
  });
});
