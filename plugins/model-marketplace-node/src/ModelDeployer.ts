import { DeploymentObjectRef } from '@aic/plugin-model-marketplace-common';
import type { LoggerService } from '@backstage/backend-plugin-api';
import { InputError } from '@backstage/errors';
import { ClusterRegistry } from './ClusterRegistry';
import {
  DeployCancelledError,
  RolloutFailedError,
  RolloutTimeoutError,
} from './errors';
import { Readiness, evaluateReadiness } from './evaluateReadiness';
import { KubernetesApiClient } from './KubernetesApiClient';
import {
  InspectResult,
  RollbackResult,
  deleteManagedObjects,
  inspectObjects,
  isManaged,
  notManagedError,
  rollbackCreated,
} from './managedObjects';
import { RetryOptions } from './retryPolicy';
import {
  KubernetesManifest,
  WORKLOAD_KINDS,
  describeRef,
  refOf,
} from './types';

/** @public */
export type ModelDeployerOptions = {
  clusters: ClusterRegistry;
  logger: LoggerService;
  retry?: RetryOptions;
  /** How often readiness is polled. Default 1000 ms. */
  pollIntervalMs?: number;
  /** Default readiness timeout. Default 5 minutes. */
  defaultTimeoutMs?: number;
  /** Per-request timeout of Kubernetes API calls. Default 30 s. */
  requestTimeoutMs?: number;
};

/** What to deploy where. @public */
export type DeployRequest = {
  cluster: string;
  objects: KubernetesManifest[];
  /** The object whose readiness is awaited; by default the first Deployment, InferenceService or LLMInferenceService. */
  workload?: DeploymentObjectRef;
  /** The endpoint, when known up front. */
  endpoint?: string;
  /** Check and server dry-run only; nothing is written. */
  dryRun?: boolean;
  /** Do not wait for readiness. */
  noWait?: boolean;
  timeoutMs?: number;
  signal?: AbortSignal;
  /** Step-by-step progress, for the scaffolder log. */
  onProgress?: (message: string) => void;
};

/** @public */
export type ApplyResult = {
  objects: DeploymentObjectRef[];
  /** Objects that did not exist before this run applied them. */
  created: DeploymentObjectRef[];
};

export type { InspectResult, RollbackResult } from './managedObjects';

/** @public */
export type DeployResult = ApplyResult & {
  cluster: string;
  namespace: string;
  dryRun: boolean;
  endpoint?: string;
  readiness?: Readiness;
  /** HTTP requests this deploy sent (approximate when runs overlap). */
  apiCalls: number;
};

/**
 * Applies rendered model manifests to a cluster and waits until they are
 * ready: ownership check, server dry-run, server-side apply under field
 * manager `model-marketplace` without force, readiness by
 * `kubectl rollout status` rules, and rollback of what the run created when
 * it fails, times out or is cancelled.
 *
 * @public
 */
export class ModelDeployer {
  private readonly clients = new Map<string, KubernetesApiClient>();
  private readonly pollIntervalMs: number;
  private readonly defaultTimeoutMs: number;

  constructor(private readonly options: ModelDeployerOptions) {
    this.pollIntervalMs = options.pollIntervalMs ?? 1000;
    this.defaultTimeoutMs = options.defaultTimeoutMs ?? 5 * 60_000;
  }

  /** The client of a cluster; created once per cluster name. */
  private client(cluster: string): KubernetesApiClient {
    let client = this.clients.get(cluster);
    if (!client) {
      client = new KubernetesApiClient(
        this.options.clusters.makeKubeConfig(cluster),
        {
          retry: this.options.retry,
          logger: this.options.logger,
          requestTimeoutMs: this.options.requestTimeoutMs,
        },
      );
      this.clients.set(cluster, client);
    }
    return client;
  }

  private progress(
    request: { onProgress?: (m: string) => void },
    message: string,
  ) {
    this.options.logger.info(message);
    request.onProgress?.(message);
  }

  private checkCancelled(signal?: AbortSignal) {
    if (signal?.aborted) {
      throw new DeployCancelledError('Deploy cancelled');
    }
  }

  /** Runs a step; if the signal aborted meanwhile, fails as cancelled. */
  private async step<T>(signal: AbortSignal | undefined, fn: () => Promise<T>) {
    try {
      return await fn();
    } catch (error) {
      if (signal?.aborted && !(error instanceof DeployCancelledError)) {
        throw new DeployCancelledError('Deploy cancelled', error);
      }
      throw error;
    }
  }

  /**
   * Reads every object, refuses objects that exist but are not ours, and
   * runs a server dry-run of the apply. Writes nothing.
   */
  async preflight(request: DeployRequest): Promise<{ existing: boolean[] }> {
    return this.step(request.signal, () => this.doPreflight(request));
  }

  private async doPreflight(
    request: DeployRequest,
  ): Promise<{ existing: boolean[] }> {
    if (request.objects.length === 0) {
      throw new InputError('Nothing to deploy');
    }
    const client = this.client(request.cluster);
    this.checkCancelled(request.signal);
    const live = await Promise.all(
      request.objects.map(m => client.get(refOf(m), request.signal)),
    );
    for (const [i, obj] of live.entries()) {
      if (obj && !isManaged(obj)) {
        throw notManagedError(refOf(request.objects[i]), obj, 'modify');
      }
    }
    const existing = live.map(obj => Boolean(obj));
    this.checkCancelled(request.signal);
    await Promise.all(
      request.objects.map(m =>
        client.apply(m, { dryRun: true, signal: request.signal }),
      ),
    );
    this.progress(request, 'dry-run ok');
    return { existing };
  }

  /**
   * Server-side applies the objects (concurrently; they do not depend on
   * each other). If any apply fails, the objects this call created are
   * deleted again before the first error is thrown.
   */
  async apply(
    request: DeployRequest,
    preflight: { existing: boolean[] },
  ): Promise<ApplyResult> {
    return this.step(request.signal, () => this.doApply(request, preflight));
  }

  private async doApply(
    request: DeployRequest,
    preflight: { existing: boolean[] },
  ): Promise<ApplyResult> {
    const client = this.client(request.cluster);
    this.checkCancelled(request.signal);
    const results = await Promise.allSettled(
      request.objects.map(async manifest => {
        await client.apply(manifest, { signal: request.signal });
        this.progress(
          request,
          `applied ${manifest.kind} ${manifest.metadata.namespace}/${manifest.metadata.name}`,
        );
      }),
    );
    const objects: DeploymentObjectRef[] = [];
    const created: DeploymentObjectRef[] = [];
    for (const [i, result] of results.entries()) {
      if (result.status === 'fulfilled') {
        const ref = refOf(request.objects[i]);
        objects.push(ref);
        if (!preflight.existing[i]) {
          created.push(ref);
        }
      }
    }
    const failed = results.find(
      (r): r is PromiseRejectedResult => r.status === 'rejected',
    );
    if (failed) {
      await this.rollback(request.cluster, created, request);
      throw failed.reason;
    }
    return { objects, created };
  }

  /**
   * Polls the workload until it is ready, failed, the timeout passes or the
   * signal aborts.
   */
  async waitForReady(request: DeployRequest): Promise<Readiness> {
    return this.step(request.signal, () => this.doWaitForReady(request));
  }

  private async doWaitForReady(request: DeployRequest): Promise<Readiness> {
    const client = this.client(request.cluster);
    const workload =
      request.workload ??
      refOf(
        request.objects.find(o => WORKLOAD_KINDS.includes(o.kind)) ??
          request.objects[0],
      );
    const timeoutMs = request.timeoutMs ?? this.defaultTimeoutMs;
    const deadline = Date.now() + timeoutMs;
    let lastMessage = '';
    for (;;) {
      this.checkCancelled(request.signal);
      const live = await client.get(workload, request.signal);
      if (!live) {
        throw new RolloutFailedError(
          `${describeRef(
            workload,
          )} disappeared while waiting for it to become ready`,
        );
      }
      const readiness = evaluateReadiness(live);
      if (readiness.state === 'failed') {
        throw new RolloutFailedError(readiness.message);
      }
      if (readiness.state === 'ready') {
        return readiness;
      }
      const message = `waiting for rollout ${readiness.message}`;
      if (message !== lastMessage) {
        this.progress(request, message);
        lastMessage = message;
      }
      const left = deadline - Date.now();
      if (left <= 0) {
        throw new RolloutTimeoutError(
          `${describeRef(workload)} was not ready after ${Math.round(
            timeoutMs / 1000,
          )}s: ${readiness.message}`,
        );
      }
      await new Promise<void>(resolve => {
        const timer = setTimeout(done, Math.min(this.pollIntervalMs, left));
        request.signal?.addEventListener('abort', done, { once: true });
        function done() {
          clearTimeout(timer);
          request.signal?.removeEventListener('abort', done);
          resolve();
        }
      });
    }
  }

  /**
   * Deletes objects a run created, skipping any that are gone or are not
   * labelled as ours. Never throws: what could not be deleted is returned
   * in `failed` (and logged), so that the caller can report and record the
   * leftovers.
   */
  async rollback(
    cluster: string,
    created: DeploymentObjectRef[],
    request: { onProgress?: (m: string) => void } = {},
  ): Promise<RollbackResult> {
    return rollbackCreated(this.client(cluster), created, {
      logger: this.options.logger,
      progress: message => this.progress(request, message),
    });
  }

  /**
   * Reads a deployment's objects: which exist, which are missing, which
   * exist but are not labelled as ours, and the readiness of the workload
   * (the first Deployment or InferenceService, or the one named
   * `workload`). Writes nothing.
   */
  async inspect(
    cluster: string,
    objects: DeploymentObjectRef[],
    workload?: string,
  ): Promise<InspectResult> {
    return inspectObjects(this.client(cluster), objects, workload);
  }

  /**
   * The whole apply path: preflight (ownership and dry-run), apply, wait
   * for readiness; on failure, timeout or cancellation the objects this run
   * created are deleted and the error is rethrown.
   */
  async deploy(request: DeployRequest): Promise<DeployResult> {
    const client = this.client(request.cluster);
    const before = client.requestCount;
    const namespace = request.objects[0]?.metadata.namespace ?? '';
    const preflight = await this.preflight(request);
    if (request.dryRun) {
      return {
        cluster: request.cluster,
        namespace,
        dryRun: true,
        objects: request.objects.map(refOf),
        created: [],
        endpoint: request.endpoint,
        apiCalls: client.requestCount - before,
      };
    }
    const applied = await this.apply(request, preflight);
    if (request.noWait) {
      return {
        cluster: request.cluster,
        namespace,
        dryRun: false,
        ...applied,
        endpoint: request.endpoint,
        apiCalls: client.requestCount - before,
      };
    }
    let readiness: Readiness;
    try {
      readiness = await this.waitForReady(request);
    } catch (error) {
      await this.rollback(request.cluster, applied.created, request);
      throw error;
    }
    const endpoint = readiness.url ?? request.endpoint;
    this.progress(request, `ready at ${endpoint ?? '(no endpoint)'}`);
    return {
      cluster: request.cluster,
      namespace,
      dryRun: false,
      ...applied,
      endpoint,
      readiness,
      apiCalls: client.requestCount - before,
    };
  }

  /**
   * Deletes a deployment's objects. Every object is read first; if any of
   * them exists and is not labelled as ours, nothing is deleted.
   */
  async undeploy(request: {
    cluster: string;
    objects: DeploymentObjectRef[];
    dryRun?: boolean;
    onProgress?: (m: string) => void;
  }): Promise<{
    deleted: DeploymentObjectRef[];
    missing: DeploymentObjectRef[];
  }> {
    return deleteManagedObjects(this.client(request.cluster), request.objects, {
      dryRun: request.dryRun,
      progress: message => this.progress(request, message),
    });
  }
}
