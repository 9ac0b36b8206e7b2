import type { DiscoveryResult } from '@aic/plugin-model-marketplace-node';
import { DiscoveredDeployments } from './DiscoveredDeployments';

/*
 * Discovered workloads that say little about themselves (no creation time,
 * no replica counts), and a discovery pass that fails: it is not cached,
 * the next call discovers again.
 */

const partial: DiscoveryResult = {
  checkedAt: '2026-12-01T12:00:00.000Z',
  errors: [],
  workloads: [
    {
      cluster: 'prod',
      ref: {
        apiVersion: 'apps/v1',
        kind: 'Deployment',
        namespace: 'ml-serving',
        name: 'mystery',
      },
      labels: {},
      storageUris: [],
      readiness: { state: 'progressing', message: 'rolling out' },
    },
  ],
};

describe('DiscoveredDeployments with partial answers', () => {
  it('dates a workload without a creation time by the check, and leaves out unknown replica counts', async () => {
    const discovered = new DiscoveredDeployments({
      discovery: { discover: async () => partial },
      models: () => [],
      ttlMs: 60_000,
    });
    const [row] = await discovered.list({});
    expect(row).toMatchObject({
      model: '',
      createdAt: '2026-12-01T12:00:00.000Z',
      updatedAt: '2026-12-01T12:00:00.000Z',
      message:
        'discovered Deployment, not managed by the marketplace (no matching model)',
    });
    expect(row.endpoint).toBeUndefined();
    expect(row.live).toEqual({
      state: 'progressing',
      message: 'rolling out',
      checkedAt: '2026-12-01T12:00:00.000Z',
    });
  });

  it('does not keep a failed discovery pass', async () => {
    let calls = 0;
    const discovered = new DiscoveredDeployments({
      discovery: {
        discover: async () => {
          calls += 1;
          if (calls === 1) throw new Error('cluster prod is unreachable');
          return partial;
        },
      },
      models: () => [],
      ttlMs: 60_000,
    });
    await expect(discovered.list({})).rejects.toThrow(
      'cluster prod is unreachable',
    );
    await expect(discovered.list({})).resolves.toHaveLength(1);
    expect(calls).toBe(2);
  });
});
