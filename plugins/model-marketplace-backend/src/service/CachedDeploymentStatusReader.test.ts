import type { DeploymentStatusReader } from '@aic/plugin-model-marketplace-common';
import { CachedDeploymentStatusReader } from './CachedDeploymentStatusReader';

describe('CachedDeploymentStatusReader', () => {
  const target = {
    cluster: 'sandbox',
    namespace: 'team-search',
    objects: [
      {
        apiVersion: 'apps/v1',
        kind: 'Deployment',
        namespace: 'team-search',
        name: 'bge',
      },
    ],
  };

  function fakeReader(fail = false) {
    const reader = {
      calls: 0,
      async read() {
        reader.calls += 1;
        if (fail) {
          throw new Error('cluster unreachable');
        }
        return {
          state: 'ready' as const,
          readyReplicas: 1,
          desiredReplicas: 1,
          checkedAt: 'now',
        };
      },
    };
    return reader;
  }

  it('reads each target once per TTL, sharing concurrent reads', async () => {
    let now = 1000;
    const inner = fakeReader();
    const cached = new CachedDeploymentStatusReader(
      inner as DeploymentStatusReader,
      {
        ttlMs: 10_000,
        now: () => now,
      },
    );
    const [a, b] = await Promise.all([
      cached.read(target),
      cached.read(target),
    ]);
    expect(a.state).toBe('ready');
    expect(b).toBe(a);
    expect(inner.calls).toBe(1);
    now += 9_999;
    await cached.read(target);
    expect(inner.calls).toBe(1);
    await cached.read({ ...target, namespace: 'other' });
    expect(inner.calls).toBe(2);
    now += 2;
    await cached.read(target);
    expect(inner.calls).toBe(3);
  });

  it('answers unknown on failure and does not cache it', async () => {
    const inner = fakeReader(true);
    const cached = new CachedDeploymentStatusReader(
      inner as DeploymentStatusReader,
      { ttlMs: 10_000 },
    );
    const status = await cached.read(target);
    expect(status.state).toBe('unknown');
    expect(status.message).toContain('cluster unreachable');
    await cached.read(target);
    expect(inner.calls).toBe(2);
  });
});
