import type { ModelEntityV1alpha1 } from '@aic/plugin-model-marketplace-common';
import type {
  DiscoveredWorkload,
  DiscoveryResult,
} from '@aic/plugin-model-marketplace-node';
import { ClusterRegistry } from '@aic/plugin-model-marketplace-node';
import { ConfigReader } from '@backstage/config';
import { mockServices } from '@backstage/backend-test-utils';
import { DiscoveredDeployments } from './DiscoveredDeployments';

const model: ModelEntityV1alpha1 = {
  apiVersion: 'aic.dev/v1alpha1',
  kind: 'Model',
  metadata: { name: 'bge-large-en-v1-5', namespace: 'default' },
  spec: {
    type: 'embedding',
    lifecycle: 'production',
    owner: 'group:default/team-search',
    versions: [
      { version: '1.5.0', artifact: 'gs://acme/bge/1.5.0/', default: true },
    ],
  },
};

function workload(
  name: string,
  extra: Partial<DiscoveredWorkload> = {},
): DiscoveredWorkload {
  return {
    cluster: 'prod',
    ref: {
      apiVersion: 'serving.kserve.io/v1beta1',
      kind: 'InferenceService',
      namespace: 'ml-serving',
      name,
    },
    labels: {},
    storageUris: [],
    readiness: { state: 'ready', message: 'Ready', desiredReplicas: 1 },
    createdAt: '2026-11-01T09:00:00.000Z',
    ...extra,
  };
}

/** A cluster side that answers a fixed result and counts the passes. */
function fixedDiscovery(result: DiscoveryResult) {
  let passes = 0;
  return {
    passes: () => passes,
    discover: async () => {
      passes += 1;
      return result;
    },
  };
}

describe('DiscoveredDeployments', () => {
  const result: DiscoveryResult = {
    checkedAt: '2026-12-01T12:00:00.000Z',
    errors: [],
    workloads: [
      workload('bge-legacy', {
        storageUris: ['gs://acme/bge/1.5.0'],
        endpoint: 'http://bge-legacy.ml-serving.example.com',
      }),
      workload('labelled', {
        labels: {
          'aic.dev/model': 'bge-large-en-v1-5',
          'aic.dev/team': 'team-search',
        },
      }),
      workload('unknown', { storageUris: ['s3://elsewhere/x'] }),
    ],
  };

  it('lists discovered workloads as unmanaged deployments matched to models', async () => {
    const discovery = fixedDiscovery(result);
    const discovered = new DiscoveredDeployments({
      discovery,
      models: () => [model],
      ttlMs: 60_000,
    });
    const rows = await discovered.list({});
    expect(rows.map(r => [r.workload, r.model, r.version, r.team])).toEqual([
      ['bge-legacy', 'model:default/bge-large-en-v1-5', '1.5.0', ''],
      [
        'labelled',
        'model:default/bge-large-en-v1-5',
        '',
        'group:default/team-search',
      ],
      ['unknown', '', '', ''],
    ]);
    expect(rows[0]).toMatchObject({
      id: 'discovered:prod/ml-serving/InferenceService/bge-legacy',
      status: 'deployed',
      managed: false,
      discovered: true,
      endpoint: 'http://bge-legacy.ml-serving.example.com',
      deployedBy: 'kubernetes:discovered',
      createdAt: '2026-11-01T09:00:00.000Z',
      live: { state: 'ready', checkedAt: '2026-12-01T12:00:00.000Z' },
    });
    expect(rows[0].message).toContain('matched by storage-uri');
  });

  it('applies the model, team and status filters of GET /deployments', async () => {
    const discovered = new DiscoveredDeployments({
      discovery: fixedDiscovery(result),
      models: () => [model],
      ttlMs: 60_000,
    });
    expect(
      (await discovered.list({ model: 'model:default/bge-large-en-v1-5' })).map(
        r => r.workload,
      ),
    ).toEqual(['bge-legacy', 'labelled']);
    expect(
      (await discovered.list({ team: 'group:default/team-search' })).map(
        r => r.workload,
      ),
    ).toEqual(['labelled']);
    expect(await discovered.list({ status: ['failed'] })).toEqual([]);
    expect(await discovered.list({ status: ['deployed'] })).toHaveLength(3);
  });

  it('shares one discovery pass within the cache time and reads again after it', async () => {
    let now = 0;
    const discovery = fixedDiscovery(result);
    const discovered = new DiscoveredDeployments({
      discovery,
      models: () => [model],
      ttlMs: 1000,
      now: () => now,
    });
    await Promise.all([discovered.list({}), discovered.list({})]);
    expect(discovery.passes()).toBe(1);
    now = 1001;
    await discovered.list({});
    expect(discovery.passes()).toBe(2);
  });

  describe('fromConfig', () => {
    const options = {
      logger: mockServices.logger.mock(),
      clusters: new ClusterRegistry([]),
      models: () => [model],
    };

    it('is off when discovery is disabled, on by default', () => {
      expect(
        DiscoveredDeployments.fromConfig(
          new ConfigReader({
            modelMarketplace: { discovery: { enabled: false } },
          }),
          options,
        ),
      ).toBeUndefined();
      expect(
        DiscoveredDeployments.fromConfig(new ConfigReader({}), options),
      ).toBeInstanceOf(DiscoveredDeployments);
    });

    it('fails at start-up on a bad cacheTtl, naming the key', () => {
      expect(() =>
        DiscoveredDeployments.fromConfig(
          new ConfigReader({
            modelMarketplace: { discovery: { cacheTtl: 'soon' } },
          }),
          options,
        ),
      ).toThrow(/cacheTtl/);
    });
  });
});
