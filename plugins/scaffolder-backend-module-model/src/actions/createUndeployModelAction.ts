import { renderModelManifests } from '@aic/plugin-model-marketplace-node';
import { isError } from '@backstage/errors';
import { createTemplateAction } from '@backstage/plugin-scaffolder-node';
import {
  ModelActionOptions,
  resolveModelActionOptions,
} from './createDeployModelAction';
import {
  objectSchema,
  scaffolderFields,
  withoutEmptyValues,
  undeployInputFields,
  undeployOutputFields,
} from './deployModelSchema';
import { examples } from './createUndeployModelAction.examples';

const inputSchema = objectSchema(undeployInputFields);

/**
 * `model:undeploy`: deletes the objects of a model deployment from a team
 * namespace (only objects labelled managed-by model-marketplace) and marks
 * the inventory record undeployed.
 *
 * @public
 */
export function createUndeployModelAction(options: ModelActionOptions) {
  const { deployer, recorder, guard } = resolveModelActionOptions(options);

  return createTemplateAction({
    id: 'model:undeploy',
    description:
      "Removes a model deployment from one of the team's Kubernetes namespaces",
    examples,
    supportsDryRun: true,
    schema: {
      input: scaffolderFields(undeployInputFields),
      output: scaffolderFields(undeployOutputFields),
    },
    async handler(ctx) {
      const input = inputSchema.parse(withoutEmptyValues(ctx.input));
      const { logger } = ctx;
      const checked = await guard.check({
        userRef: ctx.user?.ref,
        model: input.model,
        team: input.team,
        namespace: input.namespace,
        cluster: input.cluster,
        requireApproval: false,
      });
      const rendered = renderModelManifests({
        model: checked.model,
        version: input.version,
        team: checked.teamRef,
        namespace: checked.namespace,
      });
      logger.info(
        `checks passed: ${ctx.user?.ref} may undeploy ${checked.modelRef}@${rendered.version} from ${checked.cluster}/${checked.namespace}`,
      );
      const refs = rendered.objects.map(o => ({
        apiVersion: o.apiVersion,
        kind: o.kind,
        namespace: o.metadata.namespace,
        name: o.metadata.name,
      }));
      const key = `${ctx.step?.id ?? 'undeploy'}-${checked.cluster}/${
        checked.namespace
      }/${rendered.name}`;
      const result = await ctx.checkpoint({
        key: `model-undeploy-${key}`,
        fn: async () => {
          const r = await deployer.undeploy({
            cluster: checked.cluster,
            objects: refs,
            dryRun: ctx.isDryRun,
            onProgress: m => logger.info(m),
          });
          return { deleted: r.deleted, missing: r.missing };
        },
      });
      if (!ctx.isDryRun) {
        try {
          const id =
            input.deploymentId ??
            (await recorder.find({
              model: checked.modelRef,
              team: checked.teamRef,
              cluster: checked.cluster,
              namespace: checked.namespace,
              version: rendered.version,
            }));
          if (id) {
            await ctx.checkpoint({
              key: `model-undeploy-record-${key}`,
              fn: async () => {
                await recorder.update(id, {
                  status: 'undeployed',
                  actor: ctx.user!.ref!,
                  message: `deleted ${result.deleted.length} objects`,
                });
              },
            });
          } else {
            logger.warn('No inventory record found for this deployment');
          }
        } catch (error) {
          logger.warn(
            `Could not record the undeploy: ${
              isError(error) ? error.message : String(error)
            }`,
          );
        }
      }
      logger.info(
        ctx.isDryRun
          ? `dry run: would delete ${
              refs.length - result.missing.length
            } objects`
          : `deleted ${result.deleted.length} objects`,
      );
      ctx.output('cluster', checked.cluster);
      ctx.output('namespace', checked.namespace);
      ctx.output('objects', ctx.isDryRun ? refs : result.deleted);
    },
  });
}
