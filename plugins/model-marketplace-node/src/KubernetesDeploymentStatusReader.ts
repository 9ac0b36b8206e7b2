import type {
  DeploymentLiveStatus,
  DeploymentObjectRef,
  DeploymentStatusReader,
} from '@aic/plugin-model-marketplace-common';
import type { LoggerService } from '@backstage/backend-plugin-api';
import { isError } from '@backstage/errors';
import type { ClusterRegistry } from './ClusterRegistry';
import { evaluateReadiness } from './evaluateReadiness';
import { ClusterClients } from './ClusterClients';
import { RetryOptions } from './retryPolicy';
import { WORKLOAD_KINDS, describeRef } from './types';

/**
 * Reads the live status of a deployment's objects from its cluster, one
 * GET per object: `missing` when an object is gone, otherwise the
 * workload's readiness. Cluster errors become `unknown`, never a throw.
 *
 * @public
 */
export class KubernetesDeploymentStatusReader
  implements DeploymentStatusReader
{
  private readonly clients: ClusterClients;

  constructor(
    clusters: ClusterRegistry,
    private readonly logger: LoggerService,
    retry?: RetryOptions,
  ) {
    this.clients = new ClusterClients(clusters, retry);
  }

  async read(target: {
    cluster: string;
    namespace: string;
    objects: DeploymentObjectRef[];
  }): Promise<DeploymentLiveStatus> {
    const checkedAt = new Date().toISOString();
    try {
      const client = this.clients.get(target.cluster);
      const live = await Promise.all(
        target.objects.map(async ref => ({ ref, obj: await client.get(ref) })),
      );
      const missing = live.filter(l => !l.obj).map(l => l.ref);
      if (target.objects.length === 0 || missing.length) {
        return {
          state: 'missing',
          message: missing.length
            ? `missing: ${missing.map(describeRef).join(', ')}`
            : 'no objects recorded',
          checkedAt,
        };
      }
      const workload =
        live.find(l => WORKLOAD_KINDS.includes(l.ref.kind)) ?? live[0];
      const readiness = evaluateReadiness(workload.obj!);
      return {
        state: readiness.state,
        message: readiness.message,
        readyReplicas: readiness.readyReplicas,
        desiredReplicas: readiness.desiredReplicas,
        checkedAt,
      };
    } catch (error) {
      const message = isError(error) ? error.message : String(error);
      this.logger.warn(
        `Cannot read status of deployment in ${target.cluster}/${target.namespace}: ${message}`,
      );
      return { state: 'unknown', message, checkedAt };
    }
  }
}
