import { InputError } from '@backstage/errors';
import { deploymentName } from './deploymentName';
import { renderModelManifests } from './renderModelManifests';
import { testModels } from './__testUtils__/models';

const LABELS = {
  'app.kubernetes.io/managed-by': 'model-marketplace',
  'app.kubernetes.io/name': 'llama-3-1-8b-instruct',
  'aic.dev/model': 'llama-3-1-8b-instruct',
  'aic.dev/model-version': '1.0.0',
  'aic.dev/team': 'team-assistants',
};

describe('renderModelManifests', () => {
  it('renders a vLLM Deployment and Service with GPU, probe and labels', () => {
    const r = renderModelManifests({
      model: testModels.vllm,
      team: 'group:default/team-assistants',
      namespace: 'team-assistants',
    });
    expect(r.name).toBe('llama-3-1-8b-instruct-1-0-0');
    expect(r.objects.map(o => `${o.apiVersion}/${o.kind}`)).toEqual([
      'apps/v1/Deployment',
      'v1/Service',
    ]);
    const [deployment, service] = r.objects;
    expect(deployment.metadata.labels).toMatchObject(LABELS);
    expect(service.metadata.labels).toMatchObject(LABELS);
    expect(deployment.spec.template.metadata.labels).toMatchObject(LABELS);
    expect(deployment.spec.replicas).toBe(1);
    const container = deployment.spec.template.spec.containers[0];
    expect(container.image).toBe('vllm/vllm-openai:v0.6.3');
    expect(container.args).toEqual([
      '--model=meta-llama/Llama-3.1-8B-Instruct',
      '--served-model-name=llama-3-1-8b-instruct',
      '--port=8000',
      '--max-model-len=16384',
    ]);
    expect(container.env).toContainEqual({
      name: 'MODEL_URI',
      value: 'hf://meta-llama/Llama-3.1-8B-Instruct',
    });
    expect(container.resources).toEqual({
      requests: { cpu: '4', memory: '32Gi', 'nvidia.com/gpu': '1' },
      limits: { memory: '32Gi', 'nvidia.com/gpu': '1' },
    });
    expect(container.readinessProbe.httpGet).toEqual({
      path: '/health',
      port: 8000,
    });
    expect(service.spec.ports[0].port).toBe(8000);
    expect(service.spec.selector).toEqual(deployment.spec.selector.matchLabels);
    expect(r.endpoint).toBe(
      'http://llama-3-1-8b-instruct-1-0-0.team-assistants.svc.cluster.local:8000',
    );
  });

  it('renders a KServe LLMInferenceService for runtime kserve-llm', () => {
    const r = renderModelManifests({
      model: testModels.kserveLlm,
      team: 'team-assistants',
      namespace: 'team-assistants',
    });
    expect(r.runtime).toBe('kserve-llm');
    expect(r.port).toBe(8000);
    expect(r.endpoint).toBeUndefined();
    expect(r.objects).toHaveLength(1);
    const [llm] = r.objects;
    expect(`${llm.apiVersion}/${llm.kind}`).toBe(
      'serving.kserve.io/v1alpha1/LLMInferenceService',
    );
    expect(r.workload).toEqual({
      apiVersion: 'serving.kserve.io/v1alpha1',
      kind: 'LLMInferenceService',
      namespace: 'team-assistants',
      name: 'llama-3-1-8b-instruct-1-0-0',
    });
    expect(llm.metadata.labels).toMatchObject(LABELS);
    expect(llm.spec.model).toEqual({
      uri: 'hf://meta-llama/Llama-3.1-8B-Instruct',
      name: 'llama-3-1-8b-instruct',
    });
    expect(llm.spec.replicas).toBe(2);
    expect(llm.spec.template.containers).toEqual([
      {
        name: 'main',
        args: ['--max-model-len=16384'],
        resources: {
          requests: { cpu: '4', memory: '32Gi', 'nvidia.com/gpu': '1' },
          limits: { memory: '32Gi', 'nvidia.com/gpu': '1' },
        },
      },
    ]);
    const scaled = renderModelManifests({
      model: testModels.kserveLlm,
      team: 'team-assistants',
      namespace: 'team-assistants',
      replicas: 0,
    });
    expect(scaled.objects[0].spec.replicas).toBe(0);
  });

  it('renders TGI with the requested version and replica count', () => {
    const r = renderModelManifests({
      model: testModels.tgi,
      version: 'v0.2',
      team: 'team-search',
      namespace: 'team-search',
      replicas: 3,
    });
    expect(r.name).toBe('mistral-7b-instruct-v0-2');
    expect(r.objects[0].spec.replicas).toBe(3);
    expect(r.objects[0].spec.template.spec.containers[0].args).toContain(
      '--model-id=mistralai/Mistral-7B-Instruct-v0.2',
    );
  });

  it('renders a plain container with a TCP probe and no GPU', () => {
    const r = renderModelManifests({
      model: testModels.container,
      team: 'team-search',
      namespace: 'team-search',
    });
    const container = r.objects[0].spec.template.spec.containers[0];
    expect(container.readinessProbe.tcpSocket).toEqual({ port: 80 });
    expect(container.resources.limits).toEqual({ memory: '6Gi' });
    expect(container.args).toEqual(['--pooling=mean']);
  });

  it('renders a KServe InferenceService', () => {
    const r = renderModelManifests({
      model: testModels.kserve,
      team: 'team-search',
      namespace: 'team-search',
    });
    expect(r.objects).toHaveLength(1);
    const [isvc] = r.objects;
    expect(isvc.apiVersion).toBe('serving.kserve.io/v1beta1');
    expect(isvc.kind).toBe('InferenceService');
    expect(isvc.spec.predictor).toMatchObject({
      minReplicas: 1,
      maxReplicas: 4,
      model: {
        modelFormat: { name: 'huggingface' },
        storageUri: 'gs://acme/bge/1.5.0/',
        args: ['--task=text_embedding'],
        resources: { limits: { 'nvidia.com/gpu': '1' } },
      },
    });
    expect(r.endpoint).toBeUndefined();
    expect(r.workload.kind).toBe('InferenceService');
  });

  it('mounts pvc:// artifacts', () => {
    const model = {
      ...testModels.vllm,
      spec: {
        ...testModels.vllm.spec,
        versions: [{ version: '1', artifact: 'pvc://model-cache/llama-70b' }],
      },
    };
    const r = renderModelManifests({ model, team: 't', namespace: 'n' });
    const pod = r.objects[0].spec.template.spec;
    expect(pod.volumes[0].persistentVolumeClaim.claimName).toBe('model-cache');
    expect(pod.containers[0].args[0]).toBe('--model=/mnt/models/llama-70b');
  });

  it('refuses unknown versions and models without serving', () => {
    expect(() =>
      renderModelManifests({
        model: testModels.vllm,
        version: '9.9.9',
        team: 't',
        namespace: 'n',
      }),
    ).toThrow(InputError);
    const model = {
      ...testModels.vllm,
      spec: { ...testModels.vllm.spec, serving: undefined },
    };
    expect(() =>
      renderModelManifests({ model, team: 't', namespace: 'n' }),
    ).toThrow(/no spec.serving.runtime/);
  });

  it.each([
    [
      'a version the model lacks, listing the known ones',
      { version: '9.9.9' },
      "Model 'llama-3-1-8b-instruct' has no version '9.9.9'; known versions: 1.0.0, 1.0.0-awq-int4",
    ],
    [
      'an unknown runtime',
      { serving: { runtime: 'triton', image: 'x' } },
      "Model 'llama-3-1-8b-instruct' uses unknown runtime 'triton'",
    ],
    [
      'a fractional replica count',
      { replicas: 1.5 },
      'replicas must be a non-negative integer',
    ],
    [
      'a negative replica count',
      { replicas: -1 },
      'replicas must be a non-negative integer',
    ],
    [
      'a container runtime without an image',
      { serving: { runtime: 'vllm' } },
      "Model 'llama-3-1-8b-instruct' uses runtime 'vllm' but has no spec.serving.image",
    ],
    [
      'a model without versions',
      { versions: [] },
      "Model 'llama-3-1-8b-instruct' has no versions",
    ],
  ])('refuses %s, naming it', (_what, change: any, message) => {
    const { version, replicas, ...spec } = change;
    const model = {
      ...testModels.vllm,
      spec: { ...testModels.vllm.spec, ...spec },
    };
    expect(() =>
      renderModelManifests({
        model,
        version,
        replicas,
        team: 't',
        namespace: 'n',
      }),
    ).toThrow(message);
  });
});

describe('deploymentName', () => {
  it('is DNS-safe and at most 63 characters', () => {
    expect(deploymentName('Foo_Bar', 'V1.2+build')).toBe('foo-bar-v1-2-build');
    expect(deploymentName('1model', '1')).toBe('m-1model-1');
    const long = deploymentName('a'.repeat(60), '1.0.0-something-long');
    expect(long.length).toBeLessThanOrEqual(63);
    expect(long).toMatch(/^[a-z]([a-z0-9-]*[a-z0-9])?$/);
    expect(long).not.toBe(deploymentName('a'.repeat(60), '1.0.0-other-long'));
  });
});
