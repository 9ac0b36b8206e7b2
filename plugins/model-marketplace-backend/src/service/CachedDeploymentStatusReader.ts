import type {
  DeploymentLiveStatus,
  DeploymentStatusReader,
} from '@aic/plugin-model-marketplace-common';

type Target = Parameters<DeploymentStatusReader['read']>[0];

/**
 * Wraps a {@link DeploymentStatusReader} with a short per-target cache, so
 * that listing deployments does not read every cluster on every call.
 * Concurrent reads of the same target share one cluster call. A failed read
 * answers `unknown` (with the error message) and is not cached.
 */
export class CachedDeploymentStatusReader implements DeploymentStatusReader {
  private readonly entries = new Map<
    string,
    { expires: number; value: Promise<DeploymentLiveStatus> }
  >();

  constructor(
    private readonly inner: DeploymentStatusReader,
    private readonly options: { ttlMs: number; now?: () => number },
  ) {}

  read(target: Target): Promise<DeploymentLiveStatus> {
    const now = (this.options.now ?? Date.now)();
    const key = JSON.stringify([
      target.cluster,
      target.namespace,
      target.objects.map(o => [o.apiVersion, o.kind, o.namespace, o.name]),
    ]);
    const cached = this.entries.get(key);
    if (cached && cached.expires > now) {
      return cached.value;
    }
    const value = this.inner
      .read(target)
      .catch((error): DeploymentLiveStatus => {
        this.entries.delete(key);
        return {
          state: 'unknown',
          message: `Could not read the deployment status: ${String(
            error?.message ?? error,
          )}`,
          checkedAt: new Date().toISOString(),
        };
      });
    this.entries.set(key, { expires: now + this.options.ttlMs, value });
    if (this.entries.size > 5000) {
      for (const [k, entry] of this.entries) {
        if (entry.expires <= now) {
          this.entries.delete(k);
        }
      }
    }
    return value;
  }
}
