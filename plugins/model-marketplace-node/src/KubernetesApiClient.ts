import type { DeploymentObjectRef } from '@aic/plugin-model-marketplace-common';
import type { LoggerService } from '@backstage/backend-plugin-api';
import { NotFoundError } from '@backstage/errors';
import { AsyncLocalStorage } from 'node:async_hooks';
import { Agent } from 'node:https';
import {
  KubeConfig,
  KubernetesObject,
  KubernetesObjectApi,
  PatchStrategy,
  RequestContext,
  SecurityAuthentication,
  ServerConfiguration,
  createConfiguration,
} from '@kubernetes/client-node';
import { RetryOptions, describeFailure, withRetry } from './retryPolicy';
import { toBackstageError } from './toBackstageError';
import { KubernetesManifest, LiveObject, describeRef } from './types';

/** The field manager of every apply this project makes. @public */
export const FIELD_MANAGER = 'model-marketplace';

/** @public */
export type KubernetesApiClientOptions = {
  retry?: RetryOptions;
  logger?: LoggerService;
  /** Strings that must never appear in errors or logs (the token). */
  secrets?: string[];
  /** Abort (and retry) a request that has not answered in time. Default 30 s. */
  requestTimeoutMs?: number;
};

/** The caller's AbortSignal, seen by the request middleware. */
const callerSignal = new AsyncLocalStorage<AbortSignal | undefined>();

/**
 * Runs one attempt with the caller's signal in scope. A request the caller
 * cancelled fails as an `AbortError`; a request that timed out looks like a
 * connection timeout, so it is retried.
 */
async function attemptRequest<T>(
  fn: () => Promise<T>,
  timeoutMs: number,
  signal: AbortSignal | undefined,
): Promise<T> {
  try {
    return await callerSignal.run(signal, fn);
  } catch (error) {
    if ((error as Error)?.name === 'AbortError') {
      if (signal?.aborted) {
        const cancelled = new Error('cancelled');
        cancelled.name = 'AbortError';
        throw cancelled;
      }
      throw Object.assign(new Error(`no answer within ${timeoutMs}ms`), {
        code: 'ETIMEDOUT',
      });
    }
    throw error;
  }
}

/**
 * A small typed facade over `@kubernetes/client-node`'s
 * `KubernetesObjectApi` for one cluster: get, server-side apply (with or
 * without dry-run) and delete, each retried by the retry policy, with
 * errors mapped to Backstage errors and every HTTP request counted.
 *
 * @public
 */
export class KubernetesApiClient {
  private readonly api: KubernetesObjectApi;
  private readonly retry: RetryOptions;
  private readonly logger?: LoggerService;
  private readonly secrets: string[];
  private readonly requestTimeoutMs: number;
  private requests = 0;

  constructor(
    kubeConfig: KubeConfig,
    options: KubernetesApiClientOptions = {},
  ) {
    const cluster = kubeConfig.getCurrentCluster();
    if (!cluster) {
      throw new Error('The KubeConfig has no current cluster');
    }
    // The KubeConfig sets the bearer token and builds a new TLS agent for
    // every request; keep its settings but reuse one keep-alive agent, so
    // consecutive calls share a TLS connection.
    let agent: Agent | undefined;
    const authentication: SecurityAuthentication = {
      getName: () => 'default',
      applySecurityAuthentication: async (context: RequestContext) => {
        await kubeConfig.applySecurityAuthentication(context);
        const fresh = context.getAgent();
        if (fresh && fresh instanceof Agent) {
          if (!agent) {
            agent = new Agent({ ...fresh.options, keepAlive: true });
          }
          fresh.destroy();
          context.setAgent(agent);
        }
      },
    };
    const configuration = createConfiguration({
      baseServer: new ServerConfiguration(cluster.server, {}),
      authMethods: { default: authentication },
      promiseMiddleware: [
        {
          pre: async ctx => {
            this.requests += 1;
            const timeout = AbortSignal.timeout(this.requestTimeoutMs);
            const signal = callerSignal.getStore();
            ctx.setSignal(
              signal ? AbortSignal.any([timeout, signal]) : timeout,
            );
            return ctx;
          },
          post: async rsp => rsp,
        },
      ],
    });
    this.api = new KubernetesObjectApi(configuration);
    this.retry = options.retry ?? {};
    this.requestTimeoutMs = options.requestTimeoutMs ?? 30_000;
    this.logger = options.logger;
    const token = kubeConfig.getCurrentUser()?.token;
    this.secrets = [...(options.secrets ?? []), ...(token ? [token] : [])];
  }

  /** HTTP requests sent so far, retries and discovery included. */
  get requestCount(): number {
    return this.requests;
  }

  private async call<T>(
    what: string,
    fn: () => Promise<T>,
    signal?: AbortSignal,
  ): Promise<T> {
    try {
      return await withRetry(
        async () => {
          if (signal?.aborted) {
            const e = new Error('cancelled');
            e.name = 'AbortError';
            throw e;
          }
          return await attemptRequest(fn, this.requestTimeoutMs, signal);
        },
        {
          ...this.retry,
          signal,
          onRetry: ({ attempt, delayMs, failure }) => {
            this.logger?.warn(
              `Retrying ${what} in ${delayMs}ms after attempt ${attempt} failed (${
                failure.status ? `HTTP ${failure.status}` : 'connection error'
              })`,
            );
          },
        },
      );
    } catch (error) {
      throw toBackstageError(error, what, this.secrets);
    }
  }

  /** Reads an object; `undefined` when it does not exist. */
  async get(
    ref: DeploymentObjectRef,
    signal?: AbortSignal,
  ): Promise<LiveObject | undefined> {
    try {
      return await withRetry(
        () =>
          attemptRequest(
            () =>
              this.api.read({
                apiVersion: ref.apiVersion,
                kind: ref.kind,
                metadata: { name: ref.name, namespace: ref.namespace },
              }) as Promise<LiveObject>,
            this.requestTimeoutMs,
            signal,
          ),
        {
          ...this.retry,
          signal,
          onRetry: ({ attempt: n, delayMs }) =>
            this.logger?.warn(
              `Retrying read ${describeRef(
                ref,
              )} in ${delayMs}ms after attempt ${n} failed`,
            ),
        },
      );
    } catch (error) {
      if (describeFailure(error).status === 404) {
        return undefined;
      }
      throw toBackstageError(error, `read ${describeRef(ref)}`, this.secrets);
    }
  }

  /**
   * Lists the objects of one kind across all namespaces (or in one),
   * following continue tokens; `undefined` when the kind is not served by
   * the cluster (its CRD is not installed). Read-only: only GET requests.
   */
  async list(
    type: { apiVersion: string; kind: string },
    options: {
      namespace?: string;
      labelSelector?: string;
      pageSize?: number;
    } = {},
  ): Promise<LiveObject[] | undefined> {
    const what = `list ${type.kind} ${options.namespace ?? '(all namespaces)'}`;
    const items: LiveObject[] = [];
    let continueToken: string | undefined;
    try {
      do {
        const token = continueToken;
        const page = await this.call(what, () =>
          this.api.list(
            type.apiVersion,
            type.kind,
            options.namespace,
            undefined,
            undefined,
            undefined,
            undefined,
            options.labelSelector,
            options.pageSize ?? 500,
            token,
          ),
        );
        for (const item of page.items) {
          // list items carry no apiVersion/kind of their own
          items.push({ ...item, apiVersion: type.apiVersion, kind: type.kind });
        }
        continueToken = page.metadata?._continue || undefined;
      } while (continueToken);
    } catch (error) {
      // the group/version is not served (404), or is served without the kind
      if (
        error instanceof NotFoundError ||
        /Unrecognized API version and kind/.test(String(error))
      ) {
        return undefined;
      }
      throw error;
    }
    return items;
  }

  /**
   * Server-side apply under the `model-marketplace` field manager without
   * force; with `dryRun` the server validates and persists nothing.
   */
  async apply(
    manifest: KubernetesManifest,
    options: { dryRun?: boolean; signal?: AbortSignal } = {},
  ): Promise<LiveObject> {
    const what = `${options.dryRun ? 'dry-run apply' : 'apply'} ${describeRef({
      apiVersion: manifest.apiVersion,
      kind: manifest.kind,
      namespace: manifest.metadata.namespace,
      name: manifest.metadata.name,
    })}`;
    return this.call(
      what,
      () =>
        this.api.patch(
          structuredClone(manifest) as KubernetesObject,
          undefined,
          options.dryRun ? 'All' : undefined,
          FIELD_MANAGER,
          false,
          PatchStrategy.ServerSideApply,
        ) as Promise<LiveObject>,
      options.signal,
    );
  }

  /** Deletes an object; `false` when it was already gone. */
  async delete(ref: DeploymentObjectRef): Promise<boolean> {
    try {
      await withRetry(
        () =>
          attemptRequest(
            () =>
              this.api.delete(
                {
                  apiVersion: ref.apiVersion,
                  kind: ref.kind,
                  metadata: { name: ref.name, namespace: ref.namespace },
                },
                undefined,
                undefined,
                undefined,
                undefined,
                'Background',
              ),
            this.requestTimeoutMs,
            undefined,
          ),
        this.retry,
      );
      return true;
    } catch (error) {
      if (describeFailure(error).status === 404) {
        return false;
      }
      throw toBackstageError(error, `delete ${describeRef(ref)}`, this.secrets);
    }
  }
}
