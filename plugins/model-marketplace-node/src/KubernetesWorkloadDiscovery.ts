import {
  DeploymentObjectRef,
  LABEL_MANAGED_BY,
  MANAGED_BY_VALUE,
} from '@aic/plugin-model-marketplace-common';
import type { LoggerService } from '@backstage/backend-plugin-api';
import type { Config } from '@backstage/config';
import { isError } from '@backstage/errors';
import { ClusterRegistry } from './ClusterRegistry';
import { Readiness, evaluateReadiness } from './evaluateReadiness';
import { ClusterClients } from './ClusterClients';
import { LLM_INFERENCE_SERVICE_API_VERSION } from './renderLlmInferenceService';
import { RetryOptions } from './retryPolicy';
import { LiveObject, refOf } from './types';

/** The kinds discovery looks for. @public */
export const DISCOVERED_KINDS: ReadonlyArray<{
  apiVersion: string;
  kind: string;
}> = [
  { apiVersion: 'serving.kserve.io/v1beta1', kind: 'InferenceService' },
  {
    apiVersion: LLM_INFERENCE_SERVICE_API_VERSION,
    kind: 'LLMInferenceService',
  },
];

/** A model server found in a cluster that the marketplace did not create. @public */
export type DiscoveredWorkload = {
  cluster: string;
  ref: DeploymentObjectRef;
  labels: Record<string, string>;
  /** The model locations it serves (`storageUri`s, `spec.model.uri`). */
  storageUris: string[];
  readiness: Readiness;
  /** `status.url` (or the first of `status.addresses`). */
  endpoint?: string;
  createdAt?: string;
};

/** What one discovery pass found, and the clusters it could not read. @public */
export type DiscoveryResult = {
  /** ISO time the pass started. */
  checkedAt: string;
  workloads: DiscoveredWorkload[];
  errors: Array<{ cluster: string; message: string }>;
};

/** The model locations an InferenceService or LLMInferenceService names. */
export function storageUrisOf(obj: LiveObject): string[] {
  const spec = obj.spec ?? {};
  const uris: unknown[] = [];
  if (obj.kind === 'LLMInferenceService') {
    uris.push(spec.model?.uri);
  } else {
    const predictor = spec.predictor ?? {};
    uris.push(predictor.storageUri);
    // predictor.model (the current form) and the framework keys
    // (predictor.sklearn, predictor.huggingface, ...) of the older one
    for (const value of Object.values(predictor)) {
      if (value && typeof value === 'object' && !Array.isArray(value)) {
        uris.push((value as Record<string, unknown>).storageUri);
      }
    }
  }
  return [
    ...new Set(uris.filter((u): u is string => typeof u === 'string' && !!u)),
  ];
}

/**
 * Finds the KServe model servers (`InferenceService`, `LLMInferenceService`)
 * in every configured cluster that the marketplace did not create: those
 * without `app.kubernetes.io/managed-by=model-marketplace`. Read-only: it
 * sends only list requests, so a service account that may only get, list
 * and watch these kinds is enough. A cluster without a kind's CRD simply
 * has none of it; a cluster that cannot be read is reported in `errors`
 * and the others are still returned.
 *
 * @public
 */
export class KubernetesWorkloadDiscovery {
  private readonly clients: ClusterClients;
  private readonly logger: LoggerService;

  /** Clusters from `kubernetes.clusterLocatorMethods`; two attempts per list. */
  static fromConfig(
    config: Config,
    options: { logger: LoggerService; retry?: RetryOptions },
  ): KubernetesWorkloadDiscovery {
    return new KubernetesWorkloadDiscovery({
      ...options,
      clusters: ClusterRegistry.fromConfig(config),
    });
  }

  constructor(options: {
    clusters: ClusterRegistry;
    logger: LoggerService;
    retry?: RetryOptions;
  }) {
    this.clients = new ClusterClients(
      options.clusters,
      options.retry ?? { maxAttempts: 2 },
    );
    this.logger = options.logger;
  }

  async discover(): Promise<DiscoveryResult> {
    const result: DiscoveryResult = {
      checkedAt: new Date().toISOString(),
      workloads: [],
      errors: [],
    };
    await Promise.all(
      this.clients.clusters.listClusterNames().map(async cluster => {
        try {
          result.workloads.push(...(await this.discoverIn(cluster)));
        } catch (error) {
          const message = isError(error) ? error.message : String(error);
          this.logger.warn(
            `Cannot discover model servers in cluster ${cluster}: ${message}`,
          );
          result.errors.push({ cluster, message });
        }
      }),
    );
    result.workloads.sort((a, b) =>
      `${a.cluster}/${a.ref.namespace}/${a.ref.name}`.localeCompare(
        `${b.cluster}/${b.ref.namespace}/${b.ref.name}`,
      ),
    );
    return result;
  }

  private async discoverIn(cluster: string): Promise<DiscoveredWorkload[]> {
    const client = this.clients.get(cluster);
    const found: DiscoveredWorkload[] = [];
    for (const type of DISCOVERED_KINDS) {
      const items = await client.list(type, {
        labelSelector: `${LABEL_MANAGED_BY}!=${MANAGED_BY_VALUE}`,
      });
      for (const obj of items ?? []) {
        // the selector already excludes ours; a server that ignores it must not leak them
        if (obj.metadata?.labels?.[LABEL_MANAGED_BY] === MANAGED_BY_VALUE) {
          continue;
        }
        const readiness = evaluateReadiness(obj);
        found.push({
          cluster,
          ref: refOf(obj),
          labels: { ...obj.metadata?.labels },
          storageUris: storageUrisOf(obj),
          readiness,
          endpoint: obj.status?.url ?? obj.status?.addresses?.[0]?.url,
          createdAt: obj.metadata?.creationTimestamp
            ? new Date(obj.metadata.creationTimestamp).toISOString()
            : undefined,
        });
      }
    }
    return found;
  }
}
