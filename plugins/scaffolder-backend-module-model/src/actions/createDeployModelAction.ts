import type { DeploymentObjectRef } from '@aic/plugin-model-marketplace-common';
import {
  ClusterRegistry,
  ModelDeployer,
  renderModelManifests,
  resolveModelVersion,
} from '@aic/plugin-model-marketplace-node';
import type {
  AuthService,
  DiscoveryService,
  LoggerService,
} from '@backstage/backend-plugin-api';
import type { Config } from '@backstage/config';
import { ServiceUnavailableError, isError } from '@backstage/errors';
import type { CatalogService } from '@backstage/plugin-catalog-node';
import { createTemplateAction } from '@backstage/plugin-scaffolder-node';
import { DeployGuard } from '../DeployGuard';
import {
  ApprovalChecker,
  DeploymentRecorder,
  MarketplaceClient,
} from '../MarketplaceClient';
import {
  deployInputFields,
  deployOutputFields,
  objectSchema,
  scaffolderFields,
  withoutEmptyValues,
} from './deployModelSchema';
import { examples } from './createDeployModelAction.examples';

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
  let marketplace: MarketplaceClient | undefined;
  if (!options.recorder || !options.approvals) {
    if (!options.discovery) {
      throw new Error(
        'model actions need discovery, or both a recorder and an approval checker',
      );
    }
    marketplace = new MarketplaceClient({
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
  return { clusters, deployer, recorder, approvals, guard };
}

const inputSchema = objectSchema(deployInputFields);

/**
 * `model:deploy`: deploys a version of a Model from the catalog into a
 * namespace owned by the user's team, waits until it is ready, and records
 * it in the marketplace's deployments inventory.
 *
 * @public
 */
export function createDeployModelAction(options: ModelActionOptions) {
  const { deployer, recorder, guard } = resolveModelActionOptions(options);

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
    async handler(ctx) {
      const input = inputSchema.parse(withoutEmptyValues(ctx.input));
      const { logger } = ctx;

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
      logger.info(
        `checks passed: ${ctx.user?.ref} may deploy ${checked.modelRef}@${rendered.version} for ${checked.teamRef} into ${checked.cluster}/${checked.namespace}`,
      );

      const request = {
        cluster: checked.cluster,
        objects: rendered.objects,
        workload: rendered.workload,
        endpoint: rendered.endpoint,
        timeoutMs: (input.timeoutSeconds ?? 300) * 1000,
        signal: ctx.signal,
        onProgress: (message: string) => logger.info(message),
      };
      const objectRefs: DeploymentObjectRef[] = rendered.objects.map(o => ({
        apiVersion: o.apiVersion,
        kind: o.kind,
        namespace: o.metadata.namespace,
        name: o.metadata.name,
      }));

      // 2. Ownership check and server dry-run.
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
      const key = `${ctx.step?.id ?? 'deploy'}-${checked.cluster}/${
        checked.namespace
      }/${rendered.name}`;
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
              objects: objectRefs,
              status: 'deploying',
              endpoint: rendered.endpoint,
              requestId: checked.requestId,
              deployedBy: ctx.user!.ref!,
            });
            return record.id;
          } catch (error) {
            throw new ServiceUnavailableError(
              `Cannot record the deployment in the marketplace inventory, so nothing was deployed: ${
                isError(error) ? error.message : String(error)
              }`,
            );
          }
        },
      });

      const finish = async (
        status: 'deployed' | 'failed',
        extra: { endpoint?: string; message?: string },
      ) => {
        try {
          await ctx.checkpoint({
            key: `model-deploy-record-${status}-${key}`,
            fn: async () => {
              await recorder.update(deploymentId, {
                status,
                actor: ctx.user!.ref!,
                objects: objectRefs,
                ...extra,
              });
            },
          });
        } catch (error) {
          logger.warn(
            `Could not record deployment ${deploymentId} as ${status}: ${
              isError(error) ? error.message : String(error)
            }`,
          );
        }
      };

      let endpoint = rendered.endpoint;
      try {
        const applied = await ctx.checkpoint({
          key: `model-deploy-apply-${key}`,
          fn: async () => {
            const result = await deployer.apply(request, preflight);
            return { objects: result.objects, created: result.created };
          },
        });
        try {
          const readiness = await deployer.waitForReady(request);
          endpoint = readiness.url ?? endpoint;
        } catch (error) {
          await deployer.rollback(checked.cluster, applied.created, request);
          throw error;
        }
      } catch (error) {
        await finish('failed', {
          message: isError(error) ? error.message : String(error),
        });
        throw error;
      }
      logger.info(`ready at ${endpoint}`);
      await finish('deployed', { endpoint });

      ctx.output('cluster', checked.cluster);
      ctx.output('namespace', checked.namespace);
      ctx.output('objects', objectRefs);
      ctx.output('endpoint', endpoint ?? '');
      ctx.output('deploymentId', deploymentId);
    },
  });
}
