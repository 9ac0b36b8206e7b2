import type {
  DeploymentLiveStatus,
  DeploymentStatusReader,
} from '@aic/plugin-model-marketplace-common';
import { TtlCache } from '../lib/TtlCache';

type Target = Parameters<DeploymentStatusReader['read']>[0];

/**
 * Wraps a {@link DeploymentStatusReader} with a short per-target cache, so
 * that listing deployments does not read every cluster on every call.
 * Concurrent reads of the same target share one cluster call.
 *
 * A failed read answers `unknown` with the error message instead of
 * throwing, so one unreachable cluster does not fail a whole listing, and
 * it is not cached, so the next listing asks the cluster again.
 */
export class CachedDeploymentStatusReader implements DeploymentStatusReader {
  private readonly cache: TtlCache<Promise<DeploymentLiveStatus>>;

  constructor(
    private readonly inner: DeploymentStatusReader,
    options: { ttlMs: number; now?: () => number },
  ) {
    this.cache = new TtlCache({ ...options, maxEntries: 5000 });
  }

  async read(target: Target): Promise<DeploymentLiveStatus> {
    const key = JSON.stringify([
      target.cluster,
      target.namespace,
      target.objects.map(o => [o.apiVersion, o.kind, o.namespace, o.name]),
    ]);
    try {
      return await this.cache.load(key, () => this.inner.read(target));
    } catch (error) {
      return {
        state: 'unknown',
        message: `Could not read the deployment status: ${String(
          (error as Error)?.message ?? error,
        )}`,
        checkedAt: new Date().toISOString(),
      };
    }
  }
}
