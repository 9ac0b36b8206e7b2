import type {
  DeploymentLiveStatus,
  DeploymentObjectRef,
  DeploymentStatusReader,
} from '@aic/plugin-model-marketplace-common';

type Target = {
  cluster: string;
  namespace: string;
  objects: DeploymentObjectRef[];
};

/**
 * Wraps a {@link @aic/plugin-model-marketplace-common#DeploymentStatusReader}
 * so that the same deployment is read from its cluster at most once per
 * `ttlMs` (default 10 s), and concurrent reads of it share one call.
 *
 * @public
 */
export class CachedDeploymentStatusReader implements DeploymentStatusReader {
  private readonly cache = new Map<
    string,
    { expires: number; value: Promise<DeploymentLiveStatus> }
  >();
  private readonly ttlMs: number;

  constructor(
    private readonly reader: DeploymentStatusReader,
    options: { ttlMs?: number } = {},
  ) {
    this.ttlMs = options.ttlMs ?? 10_000;
  }

  read(target: Target): Promise<DeploymentLiveStatus> {
    const key = JSON.stringify([
      target.cluster,
      target.namespace,
      target.objects.map(o => [o.apiVersion, o.kind, o.namespace, o.name]),
    ]);
    const now = Date.now();
    const hit = this.cache.get(key);
    if (hit && hit.expires > now) {
      return hit.value;
    }
    for (const [k, v] of this.cache) {
      if (v.expires <= now) this.cache.delete(k);
    }
    const value = this.reader.read(target);
    this.cache.set(key, { expires: now + this.ttlMs, value });
    value.catch(() => this.cache.delete(key));
    return value;
  }
}
