import { CachedDeploymentStatusReader } from './CachedDeploymentStatusReader';

describe('CachedDeploymentStatusReader', () => {
  it('reads each deployment once per ttl and shares concurrent reads', async () => {
    const read = jest.fn(async () => ({
      state: 'ready' as const,
      checkedAt: new Date().toISOString(),
    }));
    const cached = new CachedDeploymentStatusReader({ read }, { ttlMs: 50 });
    const target = {
      cluster: 'c',
      namespace: 'n',
      objects: [
        { apiVersion: 'v1', kind: 'Service', namespace: 'n', name: 'x' },
      ],
    };
    await Promise.all([cached.read(target), cached.read(target)]);
    await cached.read(target);
    expect(read).toHaveBeenCalledTimes(1);
    await cached.read({ ...target, namespace: 'other' });
    expect(read).toHaveBeenCalledTimes(2);
    await new Promise(r => setTimeout(r, 60));
    await cached.read(target);
    expect(read).toHaveBeenCalledTimes(3);
  });
});
