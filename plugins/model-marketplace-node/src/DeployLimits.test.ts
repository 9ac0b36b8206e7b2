import { ConfigReader } from '@backstage/config';
import { DeployLimits } from './DeployLimits';
import { renderModelManifests } from './renderModelManifests';
import { parseCpuQuantity, parseMemoryQuantity } from './quantities';

const model = (serving: Record<string, any>): any => ({
  apiVersion: 'aic.dev/v1alpha1',
  kind: 'Model',
  metadata: { name: 'm', namespace: 'default' },
  spec: {
    type: 'llm',
    lifecycle: 'production',
    owner: 'ml-platform',
    versions: [{ version: '1.0.0', artifact: 'hf://org/m', default: true }],
    serving: {
      runtime: 'vllm',
      image: 'vllm/vllm-openai:v0.6.3',
      resources: { cpu: '4', memory: '32Gi', gpu: 1 },
      replicas: { min: 1, max: 2 },
      ...serving,
    },
  },
});

function target(serving: Record<string, any>, replicas?: number) {
  const r = renderModelManifests({
    model: model(serving),
    team: 'group:default/t',
    namespace: 'ns',
    replicas,
  });
  return { runtime: r.runtime, objects: r.objects };
}

const limits = DeployLimits.fromConfig(
  new ConfigReader({
    modelMarketplace: {
      deploy: {
        limits: {
          maxReplicas: 4,
          maxGpusPerReplica: 2,
          maxCpuPerReplica: '8',
          maxMemoryPerReplica: '64Gi',
          allowedRuntimes: ['vllm', 'kserve'],
          allowedImages: ['vllm/vllm-openai:'],
        },
      },
    },
  }),
);

describe('DeployLimits', () => {
  it('passes what is within every limit', () => {
    expect(() => limits.check(target({}))).not.toThrow();
    expect(() => limits.check(target({ runtime: 'kserve' }, 4))).not.toThrow();
  });

  it.each([
    [
      { replicas: { min: 10000 } },
      /asks for 10000 replicas \(modelMarketplace\.deploy\.limits\.maxReplicas is 4\)/,
    ],
    [
      { resources: { gpu: 8 } },
      /asks for 8 GPUs per replica \(modelMarketplace\.deploy\.limits\.maxGpusPerReplica is 2\)/,
    ],
    [
      { resources: { cpu: '16000m' } },
      /asks for 16 CPUs per replica \(modelMarketplace\.deploy\.limits\.maxCpuPerReplica is "8"\)/,
    ],
    [
      { resources: { memory: '1Ti' } },
      /asks for 1024Gi of memory per replica \(modelMarketplace\.deploy\.limits\.maxMemoryPerReplica is "64Gi"\)/,
    ],
    [
      { runtime: 'tgi', image: 'vllm/vllm-openai:v1' },
      /runtime 'tgi' is not allowed \(modelMarketplace\.deploy\.limits\.allowedRuntimes is \["vllm","kserve"\]\)/,
    ],
    [
      { image: 'vllm/vllm-openai-evil:latest' },
      /uses image 'vllm\/vllm-openai-evil:latest' \(modelMarketplace\.deploy\.limits\.allowedImages/,
    ],
    [
      { runtime: 'kserve', replicas: { min: 1, max: 9 } },
      /InferenceService ns\/m-1-0-0 asks for 9 replicas/,
    ],
  ])('refuses %j naming the limit and the value', (serving, message) => {
    expect(() => limits.check(target(serving))).toThrow(message);
  });

  it('applies the limits to an LLMInferenceService (kserve-llm)', () => {
    const llmLimits = DeployLimits.fromConfig(
      new ConfigReader({
        modelMarketplace: {
          deploy: {
            limits: {
              maxReplicas: 4,
              maxGpusPerReplica: 2,
              allowedRuntimes: ['kserve-llm'],
            },
          },
        },
      }),
    );
    const llm = (serving: Record<string, any>, replicas?: number) =>
      target({ runtime: 'kserve-llm', image: undefined, ...serving }, replicas);
    expect(() => llmLimits.check(llm({}))).not.toThrow();
    expect(() => llmLimits.check(llm({ resources: { gpu: 8 } }))).toThrow(
      /LLMInferenceService ns\/m-1-0-0 asks for 8 GPUs per replica/,
    );
    expect(() => llmLimits.check(llm({}, 9))).toThrow(
      /LLMInferenceService ns\/m-1-0-0 asks for 9 replicas/,
    );
    expect(() => limits.check(llm({}))).toThrow(
      /runtime 'kserve-llm' is not allowed/,
    );
  });

  it('has no limits without config, and fails at startup on a malformed limit', () => {
    const none = DeployLimits.fromConfig(new ConfigReader({}));
    expect(() =>
      none.check(target({ replicas: { min: 10000 }, resources: { gpu: 64 } })),
    ).not.toThrow();
    expect(() => new DeployLimits({ maxMemoryPerReplica: 'lots' })).toThrow(
      /Invalid modelMarketplace\.deploy\.limits: .*'lots' is not a memory quantity/,
    );
    expect(() => new DeployLimits({ maxReplicas: -1 })).toThrow(
      /maxReplicas: -1 is not a whole number/,
    );
  });

  it('parses Kubernetes quantities', () => {
    expect(parseCpuQuantity('500m')).toBe(0.5);
    expect(parseCpuQuantity(4)).toBe(4);
    expect(parseMemoryQuantity('32Gi')).toBe(32 * 2 ** 30);
    expect(parseMemoryQuantity('1G')).toBe(1e9);
    expect(() => parseCpuQuantity('4 cores')).toThrow(/not a CPU quantity/);
  });
});
