import {
  DeploymentRecord,
  DeploymentRecordStatus,
  LABEL_TEAM,
  ModelEntityV1alpha1,
} from '@aic/plugin-model-marketplace-common';
import type {
  ClusterRegistry,
  DiscoveredWorkload,
  DiscoveryResult,
} from '@aic/plugin-model-marketplace-node';
import {
  KubernetesWorkloadDiscovery,
  matchDiscoveredWorkload,
} from '@aic/plugin-model-marketplace-node';
import type { LoggerService } from '@backstage/backend-plugin-api';
import { Config, readDurationFromConfig } from '@backstage/config';
import { durationToMilliseconds } from '@backstage/types';

/** What {@link DiscoveredDeployments} needs of the cluster side. */
export interface WorkloadDiscovery {
  discover(): Promise<DiscoveryResult>;
}

/** The actor shown for a workload nobody deployed through the marketplace. */
export const DISCOVERED_ACTOR = 'kubernetes:discovered';

/** The id of a discovered workload: stable, and never a database id. */
export function discoveredDeploymentId(w: DiscoveredWorkload): string {
  return `discovered:${w.cluster}/${w.ref.namespace}/${w.ref.kind}/${w.ref.name}`;
}

/**
 * The model servers found in the clusters that the marketplace did not
 * create, as rows of the deployments inventory marked
 * `discovered: true, managed: false`. Each is matched to a catalog model
 * (by the `aic.dev/model` label or a storage URI equal to a version's
 * artifact); unmatched ones are listed with an empty `model` and only
 * when no model filter is given. One discovery pass serves all callers for
 * `ttlMs`; concurrent callers share it.
 */
export class DiscoveredDeployments {
  private cached:
    | { expires: number; value: Promise<DiscoveryResult> }
    | undefined;

  /**
   * From `modelMarketplace.discovery` (`enabled`, default true; `cacheTtl`,
   * default 30 seconds) and the configured clusters; `undefined` when
   * discovery is off. A bad `cacheTtl` fails at start-up.
   */
  static fromConfig(
    config: Config,
    options: {
      logger: LoggerService;
      /** The clusters of the model deployment service. */
      clusters: ClusterRegistry;
      models: () => readonly ModelEntityV1alpha1[];
    },
  ): DiscoveredDeployments | undefined {
    const settings = config.getOptionalConfig('modelMarketplace.discovery');
    if (settings?.getOptionalBoolean('enabled') === false) {
      return undefined;
    }
    return new DiscoveredDeployments({
      discovery: new KubernetesWorkloadDiscovery({
        clusters: options.clusters,
        logger: options.logger,
      }),
      models: options.models,
      ttlMs: settings?.has('cacheTtl')
        ? durationToMilliseconds(
            readDurationFromConfig(settings, { key: 'cacheTtl' }),
          )
        : 30_000,
    });
  }

  constructor(
    private readonly options: {
      discovery: WorkloadDiscovery;
      models: () => readonly ModelEntityV1alpha1[];
      ttlMs: number;
      now?: () => number;
    },
  ) {}

  private discover(): Promise<DiscoveryResult> {
    const now = (this.options.now ?? Date.now)();
    if (this.cached && this.cached.expires > now) {
      return this.cached.value;
    }
    const value = this.options.discovery.discover();
    value.catch(() => {
      this.cached = undefined;
    });
    this.cached = { expires: now + this.options.ttlMs, value };
    return value;
  }

  /**
   * The discovered rows for a `GET /deployments` query. Discovered
   * workloads have status `deployed` (they exist); a status filter without
   * `deployed` leaves them out.
   */
  async list(filter: {
    model?: string;
    team?: string;
    status?: DeploymentRecordStatus[];
  }): Promise<DeploymentRecord[]> {
    if (filter.status?.length && !filter.status.includes('deployed')) {
      return [];
    }
    const { workloads, checkedAt } = await this.discover();
    const models = this.options.models();
    const rows: DeploymentRecord[] = [];
    for (const w of workloads) {
      const match = matchDiscoveredWorkload(w, models);
      const team = w.labels[LABEL_TEAM]
        ? `group:default/${w.labels[LABEL_TEAM]}`
        : '';
      if (filter.model && match?.model !== filter.model) continue;
      if (filter.team && team !== filter.team) continue;
      rows.push({
        id: discoveredDeploymentId(w),
        model: match?.model ?? '',
        version: match?.version ?? '',
        team,
        cluster: w.cluster,
        namespace: w.ref.namespace,
        workload: w.ref.name,
        objects: [w.ref],
        status: 'deployed',
        ...(w.endpoint ? { endpoint: w.endpoint } : {}),
        deployedBy: DISCOVERED_ACTOR,
        createdAt: w.createdAt ?? checkedAt,
        updatedAt: w.createdAt ?? checkedAt,
        message: `discovered ${w.ref.kind}, not managed by the marketplace${
          match ? ` (matched by ${match.by})` : ' (no matching model)'
        }`,
        live: {
          state: w.readiness.state,
          message: w.readiness.message,
          ...(w.readiness.readyReplicas !== undefined
            ? { readyReplicas: w.readiness.readyReplicas }
            : {}),
          ...(w.readiness.desiredReplicas !== undefined
            ? { desiredReplicas: w.readiness.desiredReplicas }
            : {}),
          checkedAt,
        },
        managed: false,
        discovered: true,
      });
    }
    return rows;
  }
}
