import type { DeploymentRecord } from '@aic/plugin-model-marketplace-common';
import { withCleanTaskErrors } from '../withoutStackTrace';
import { describeRef } from '@aic/plugin-model-marketplace-node';
import { ConflictError, InputError, NotFoundError } from '@backstage/errors';
import { createTemplateAction } from '@backstage/plugin-scaffolder-node';
import {
  ModelActionOptions,
  messageOf,
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
import { actionRun } from '../ModelActionMetrics';

const inputSchema = objectSchema(undeployInputFields);

/** Statuses whose objects an undeploy may delete; `deploying` must finish first. */
const UNDEPLOYABLE: DeploymentRecord['status'][] = [
  'deployed',
  'failed',
  'rolled-back',
  'rollback-failed',
];

/**
 * `model:undeploy`: deletes exactly the objects the deployments inventory
 * recorded for a deployment (only objects labelled managed-by
 * model-marketplace; if any of them is not, nothing is deleted) and removes
 * the live inventory row (the history keeps it). The same checks as a
 * deploy: the user is a member of the team, and the team owns the
 * namespace.
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
    handler: withCleanTaskErrors(async ctx => {
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
      const run = actionRun(ctx);
      run.runtime = checked.model.spec.serving?.runtime;
      const where = `${checked.cluster}/${checked.namespace}`;

      // The inventory row says what to delete, never the model's current
      // manifests (they may have changed since the deploy).
      let record: DeploymentRecord | undefined;
      if (input.deploymentId) {
        record = await recorder.get(input.deploymentId);
        if (!record) {
          throw new NotFoundError(
            `No live deployment with id ${input.deploymentId}; nothing was deleted`,
          );
        }
        const mismatch = (
          [
            ['model', record.model, checked.modelRef],
            ['team', record.team, checked.teamRef],
            ['cluster', record.cluster, checked.cluster],
            ['namespace', record.namespace, checked.namespace],
          ] as const
        ).find(([, recorded, given]) => recorded !== given);
        if (mismatch) {
          throw new InputError(
            `Deployment ${record.id} is recorded with ${mismatch[0]} ${mismatch[1]}, not ${mismatch[2]}; nothing was deleted`,
          );
        }
      } else {
        const found = await recorder.find({
          model: checked.modelRef,
          team: checked.teamRef,
          cluster: checked.cluster,
          namespace: checked.namespace,
          version: input.version,
        });
        if (found.length === 0) {
          throw new NotFoundError(
            `No deployment of ${checked.modelRef}${
              input.version ? `@${input.version}` : ''
            } by ${
              checked.teamRef
            } is recorded in ${where}; nothing was deleted`,
          );
        }
        if (found.length > 1) {
          throw new InputError(
            `${found.length} deployments of ${
              checked.modelRef
            } are recorded in ${where} (versions ${found
              .map(f => f.version)
              .join(', ')}); name one with deploymentId or version`,
          );
        }
        record = found[0];
      }
      if (!UNDEPLOYABLE.includes(record.status)) {
        throw new ConflictError(
          `Deployment ${record.id} is ${record.status}; wait until the deploy has finished`,
        );
      }
      logger.info(
        `checks passed: ${ctx.user?.ref} may undeploy deployment ${record.id} (${record.model}@${record.version}) from ${where}`,
      );
      const refs = record.objects;
      logger.info(
        `recorded objects: ${refs.map(describeRef).join(', ') || 'none'}`,
      );
      const key = `${ctx.step?.id ?? 'undeploy'}-${record.id}`;
      run.writing = true;
      const result = await ctx.checkpoint({
        key: `model-undeploy-${key}`,
        fn: async () => {
          const r = await deployer.undeploy({
            cluster: record!.cluster,
            objects: refs,
            dryRun: ctx.isDryRun,
            onProgress: m => logger.info(m),
          });
          return { deleted: r.deleted, missing: r.missing };
        },
      });
      if (!ctx.isDryRun) {
        try {
          await ctx.checkpoint({
            key: `model-undeploy-record-${key}`,
            fn: async () => {
              await recorder.update(record!.id, {
                status: 'undeployed',
                actor: ctx.user!.ref!,
                expectedStatus: UNDEPLOYABLE,
                message: `deleted ${result.deleted.length} objects${
                  result.missing.length
                    ? `, ${result.missing.length} already gone`
                    : ''
                }`,
              });
            },
          });
        } catch (error) {
          throw new ConflictError(
            `Deleted ${
              result.deleted.length
            } objects but could not remove the inventory row: ${messageOf(
              error,
            )}`,
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
      ctx.output('deploymentId', record.id);
    }),
  });
}
