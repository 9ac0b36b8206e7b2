import type { DeploymentObjectRef } from '@aic/plugin-model-marketplace-common';
import { withCleanTaskErrors } from '../withoutStackTrace';
import {
  ClusterRegistry,
  DeployLimits,
  ModelDeployer,
  describeRef,
  renderModelManifests,
  resolveModelVersion,
} from '@aic/plugin-model-marketplace-node';
import type {
  AuthService,
  DiscoveryService,
  LoggerService,
} from '@backstage/backend-plugin-api';
import type { Config } from '@backstage/config';
import {
  ConflictError,
  ServiceUnavailableError,
  isError,
} from '@backstage/errors';
import type { CatalogService } from '@backstage/plugin-catalog-node';
import { createTemplateAction } from '@backstage/plugin-scaffolder-node';
import { DeployGuard } from '../DeployGuard';
import { actionRun } from '../ModelActionMetrics';
import {
  ApprovalChecker,
  DeploymentRecorder,
  MarketplaceGateway,
} from '../MarketplaceGateway';
import {
  deployInputFields,
  deployOutputFields,
  objectSchema,
  scaffolderFields,
  withoutEmptyValues,
} from './deployModelSchema';
import { examples } from './createDeployModelAction.examples';
import { pausePoint } from './pausePoint';

/** Dependencies of the model actions. @public */
export type ModelActionOptions = {
  catalog: CatalogService;
  auth: AuthService;
  logger: LoggerService;
  /** Used to build the cluster registry and deployer when not given. */
  config?: Config;
  /** Used to reach the marketplace backend when no recorder is given. */
  discovery?: DiscoveryService;
  clusters?: ClusterRegistry;
  deployer?: ModelDeployer;
  recorder?: DeploymentRecorder;
  approvals?: ApprovalChecker;
  /** Operator limits; read from `config` when not given. */
  limits?: DeployLimits;
  /**
   * How often a running deploy tells the inventory it is alive while it
   * waits for readiness, so that the reconciler does not take a slow
   * deploy for an interrupted one. Default 60 s.
   */
  heartbeatIntervalMs?: number;
};

/** Fills in the defaults of the options. */
export function resolveModelActionOptions(options: ModelActionOptions) {
  const clusters =
    options.clusters ??
    (options.config ? ClusterRegistry.fromConfig(options.config) : undefined);
  if (!clusters) {
    throw new Error('model actions need either clusters or config');
  }
  const deployer =
    options.deployer ?? new ModelDeployer({ clusters, logger: options.logger });
  let marketplace: MarketplaceGateway | undefined;
  if (!options.recorder || !options.approvals) {
    if (!options.discovery) {
      throw new Error(
        'model actions need discovery, or both a recorder and an approval checker',
      );
    }
    marketplace = MarketplaceGateway.create({
      auth: options.auth,
      discovery: options.discovery,
    });
  }
  const recorder = options.recorder ?? marketplace!;
  const approvals = options.approvals ?? marketplace!;
  const guard = new DeployGuard({
    catalog: options.catalog,
    auth: options.auth,
    approvals,
    logger: options.logger,
    clusterNames: () => clusters.listClusterNames(),
  });
  const limits =
    options.limits ??
    (options.config
      ? DeployLimits.fromConfig(options.config)
      : new DeployLimits({}));
  return { clusters, deployer, recorder, approvals, guard, limits };
}

const inputSchema = objectSchema(deployInputFields);

/** The message of an error; for a marketplace answer, the server's message. */
export function messageOf(error: unknown): string {
  const body = (error as { body?: { error?: { message?: unknown } } })?.body;
  if (typeof body?.error?.message === 'string') {
    return body.error.message;
  }
  return isError(error) ? error.message : String(error);
}

/**
 * `model:deploy`: deploys a version of a Model from the catalog into a
 * namespace owned by the user's team, waits until it is ready, and records
 * it in the marketplace's deployments inventory.
 *
 * Crash safety: the inventory row is recorded before anything is applied,
 * and each step that must not repeat runs in `ctx.checkpoint`. When the
 * scaffolder recovers an interrupted task (`scaffolder.taskRecovery`), the
 * action runs again: the checks and the server dry-run repeat, the
 * recorded row and the first run's view of which objects already existed
 * are reused, the apply is repeated only if it had not finished (a
 * server-side apply is idempotent), and the run waits for readiness again.
 * A failure after the record rolls back what the deploy created. Rows
 * that no task finishes are finished or rolled back by the backend's
 * reconciler.
 *
 * @public
 */
export function createDeployModelAction(options: ModelActionOptions) {
  const { deployer, recorder, guard, limits } =
    resolveModelActionOptions(options);
  const heartbeatIntervalMs = options.heartbeatIntervalMs ?? 60_000;

  return createTemplateAction({
    id: 'model:deploy',
    description:
      "Deploys a Model from the catalog into one of the team's Kubernetes namespaces and waits until it is ready",
    examples,
    supportsDryRun: true,
    schema: {
      input: scaffolderFields(deployInputFields),
      output: scaffolderFields(deployOutputFields),
    },
    handler: withCleanTaskErrors(async ctx => {
      const input = inputSchema.parse(withoutEmptyValues(ctx.input));
      const { logger } = ctx;
      const run = actionRun(ctx);

      // 1. Checks, before any cluster call.
      const checked = await guard.check({
        userRef: ctx.user?.ref,
        model: input.model,
        team: input.team,
        namespace: input.namespace,
        cluster: input.cluster,
        version: model => resolveModelVersion(model, input.version).version,
      });
      const rendered = renderModelManifests({
        model: checked.model,
        version: input.version,
        team: checked.teamRef,
        namespace: checked.namespace,
        replicas: input.replicas,
      });
      run.runtime = rendered.runtime;
      limits.check({ runtime: rendered.runtime, objects: rendered.objects });
      logger.info(
        `checks passed: ${ctx.user?.ref} may deploy ${checked.modelRef}@${rendered.version} for ${checked.teamRef} into ${checked.cluster}/${checked.namespace}`,
      );

      // A running deploy stops when the task is cancelled, or when the
      // inventory row was taken over (the reconciler finished or rolled it
      // back while this run was thought dead).
      const stop = new AbortController();
      const signal = ctx.signal
        ? AbortSignal.any([ctx.signal, stop.signal])
        : stop.signal;
      const request = {
        cluster: checked.cluster,
        objects: rendered.objects,
        workload: rendered.workload,
        endpoint: rendered.endpoint,
        timeoutMs: (input.timeoutSeconds ?? 300) * 1000,
        signal,
        onProgress: (message: string) => logger.info(message),
      };
      const objectRefs: DeploymentObjectRef[] = rendered.objects.map(o => ({
        apiVersion: o.apiVersion,
        kind: o.kind,
        namespace: o.metadata.namespace,
        name: o.metadata.name,
      }));

      // 2. Ownership check and server dry-run.
      await pausePoint(
        'before-dry-run',
        logger,
        signal,
        checked.model.metadata.name,
      );
      const preflight = await deployer.preflight(request);

      if (ctx.isDryRun) {
        ctx.output('cluster', checked.cluster);
        ctx.output('namespace', checked.namespace);
        ctx.output('objects', objectRefs);
        ctx.output('endpoint', rendered.endpoint ?? '');
        ctx.output('deploymentId', 'dry-run');
        logger.info('dry run: nothing was written');
        return;
      }

      // 3. Record, apply, wait.
      run.writing = true;
      const key = `${ctx.step?.id ?? 'deploy'}-${checked.cluster}/${
        checked.namespace
      }/${rendered.name}`;
      // Which objects existed before this deploy, as the first run saw it:
      // a recovered run must still roll back what the first run created.
      const existedBefore = await ctx.checkpoint({
        key: `model-deploy-existing-${key}`,
        fn: async () => preflight.existing,
      });
      const deploymentId = await ctx.checkpoint({
        key: `model-deploy-record-${key}`,
        fn: async () => {
          try {
            const record = await recorder.create({
              model: checked.modelRef,
              version: rendered.version,
              team: checked.teamRef,
              cluster: checked.cluster,
              namespace: checked.namespace,
              workload: rendered.workload.name,
              objects: objectRefs,
              status: 'deploying',
              endpoint: rendered.endpoint,
              requestId: checked.requestId,
              deployedBy: ctx.user!.ref!,
            });
            return record.id;
          } catch (error) {
            if ((error as { statusCode?: number }).statusCode === 409) {
              throw new ConflictError(
                `Nothing was deployed: ${messageOf(error)}`,
              );
            }
            throw new ServiceUnavailableError(
              `Cannot record the deployment in the marketplace inventory, so nothing was deployed: ${messageOf(
                error,
              )}`,
            );
          }
        },
      });

      const finish = async (
        status: 'deployed' | 'failed' | 'rollback-failed',
        extra: {
          endpoint?: string;
          message?: string;
          objects: DeploymentObjectRef[];
        },
      ) => {
        try {
          await ctx.checkpoint({
            key: `model-deploy-record-${status}-${key}`,
            fn: async () => {
              await recorder.update(deploymentId, {
                status,
                actor: ctx.user!.ref!,
                expectedStatus: ['deploying'],
                ...extra,
              });
            },
          });
        } catch (error) {
          // The reconciler may have finished the row meanwhile (it took this
          // run for dead); that is fine when it came to the same result.
          const now = await recorder.get(deploymentId).catch(() => undefined);
          if (now?.status === status) {
            logger.info(
              `deployment ${deploymentId} was already recorded as ${status}`,
            );
            return;
          }
          logger.error(
            `Could not record deployment ${deploymentId} as ${status}: ${messageOf(
              error,
            )}`,
          );
          if (status === 'deployed') {
            throw error;
          }
        }
      };

      let endpoint = rendered.endpoint;
      let created: DeploymentObjectRef[] = [];
      let heartbeat: NodeJS.Timeout | undefined;
      try {
        const applied = await ctx.checkpoint({
          key: `model-deploy-apply-${key}`,
          fn: async () => {
            const result = await deployer.apply(request, {
              existing: existedBefore,
            });
            return { objects: result.objects, created: result.created };
          },
        });
        created = applied.created;
        await pausePoint(
          'after-apply',
          logger,
          signal,
          checked.model.metadata.name,
        );
        heartbeat = setInterval(() => {
          recorder
            .update(deploymentId, {
              status: 'deploying',
              actor: ctx.user!.ref!,
              expectedStatus: ['deploying'],
            })
            .catch(error => {
              if ((error as { statusCode?: number }).statusCode === 409) {
                logger.warn(
                  `The inventory row of this deploy was finished by someone else: ${messageOf(
                    error,
                  )}`,
                );
                stop.abort();
              }
            });
        }, heartbeatIntervalMs);
        await pausePoint(
          'waiting-for-ready',
          logger,
          signal,
          checked.model.metadata.name,
        );
        const readiness = await deployer.waitForReady(request);
        endpoint = readiness.url ?? endpoint;
      } catch (error) {
        clearInterval(heartbeat);
        const cause = messageOf(error);
        // Created objects by the first run (from the checkpointed view), or
        // every rendered object that did not exist before when the apply
        // itself failed half-way (apply deletes its own partial work, so
        // these are gone or are retried here).
        const toDelete = created.length
          ? created
          : objectRefs.filter((_, i) => !existedBefore[i]);
        const rollback = await deployer.rollback(
          checked.cluster,
          toDelete,
          request,
        );
        if (toDelete.length) {
          run.rolledBack = rollback.failed.length ? 'failed' : 'succeeded';
        }
        const kept = objectRefs.filter((_, i) => existedBefore[i]);
        if (rollback.failed.length) {
          const leftovers = rollback.failed.map(f => f.ref);
          const report = `rollback failed, left in the cluster: ${rollback.failed
            .map(f => `${describeRef(f.ref)} (${f.message})`)
            .join('; ')}`;
          logger.error(report);
          ctx.output('rollbackFailed', leftovers);
          await finish('rollback-failed', {
            message: `${cause}; ${report}`.slice(0, 4000),
            objects: [...kept, ...leftovers],
          });
          throw new ServiceUnavailableError(
            `${cause}; then the ${report}. The team is notified and the marketplace retries the cleanup.`,
          );
        }
        await finish('failed', {
          message: cause.slice(0, 4000),
          objects: kept,
        });
        throw error;
      }
      clearInterval(heartbeat);
      logger.info(`ready at ${endpoint}`);
      await finish('deployed', { endpoint, objects: objectRefs });

      ctx.output('cluster', checked.cluster);
      ctx.output('namespace', checked.namespace);
      ctx.output('objects', objectRefs);
      ctx.output('endpoint', endpoint ?? '');
      ctx.output('deploymentId', deploymentId);
    }),
  });
}
