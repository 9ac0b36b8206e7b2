import type { ActionsRegistryService } from '@backstage/backend-plugin-api/alpha';
import { NotFoundError } from '@backstage/errors';
import type { JsonObject } from '@backstage/types';
import type { CallerApis } from './CallerApis';
import { inputSchema } from './inputSchema';
import {
  compactDeployment,
  deploymentSchema,
  DEPLOYMENT_STATUSES,
  type Zod,
} from './schemas';
import type { TemplateRuns } from './TemplateRuns';

const TASK_STATUSES = [
  'open',
  'processing',
  'completed',
  'failed',
  'cancelled',
  'skipped',
] as const;

const runSchema = (z: Zod) =>
  z.object({
    taskId: z
      .string()
      .describe('Scaffolder task id; poll it with get-deployment-task'),
    status: z
      .enum(TASK_STATUSES)
      .describe(
        'open or processing while it runs; completed (the workload is ready, or removed), failed, cancelled',
      ),
    checks: z
      .enum(['passed', 'pending'])
      .describe(
        'passed: membership, namespace ownership, approval and limits were checked and the task is at the cluster',
      ),
    lastMessage: z
      .string()
      .optional()
      .describe('The last line of the task log'),
  });

/** Where the templates are and how long a start waits for the checks. */
export type DeploymentActionsOptions = {
  deployTemplateRef: string;
  undeployTemplateRef: string;
};

/**
 * `list-deployments` (`GET /deployments`), `deploy-model` and
 * `undeploy-model` (the deploy and undeploy templates, run through the
 * scaffolder as the caller) and `get-deployment-task` (their progress).
 */
export function registerDeploymentActions(
  registry: ActionsRegistryService,
  apis: CallerApis,
  runs: TemplateRuns,
  options: DeploymentActionsOptions,
) {
  registry.register({
    name: 'list-deployments',
    title: 'List model deployments',
    description: [
      'Lists where marketplace models run: each deployment with its model, version, team, cluster, namespace, inventory status and live status read from the cluster',
      '(ready, progressing, failed, missing), replica counts and endpoint. Filter by model, team or status. Deployment ids are what undeploy-model takes.',
    ].join(' '),
    attributes: { readOnly: true, idempotent: true, destructive: false },
    schema: {
      input: z =>
        inputSchema(z, {
          model: z
            .string()
            .min(1)
            .optional()
            .describe('Only deployments of this model (entity ref)'),
          team: z
            .string()
            .min(1)
            .optional()
            .describe('Only deployments of this team (entity ref)'),
          status: z
            .array(z.enum(DEPLOYMENT_STATUSES))
            .optional()
            .describe('Only deployments with one of these inventory statuses'),
        }),
      output: z =>
        z.object({
          items: z.array(deploymentSchema(z)).describe('The deployments'),
        }),
    },
    action: async ({ input, credentials }) => {
      const { items } = await apis.asCaller(
        credentials,
        'Cannot list deployments',
        o => apis.marketplace.listDeployments(input, o),
      );
      return { output: { items: items.map(compactDeployment) } };
    },
  });

  registry.register({
    name: 'deploy-model',
    title: 'Deploy a model',
    description: [
      "Deploys a version of a marketplace model into a Kubernetes namespace of one of the user's teams, by running the portal's deploy template.",
      "Before anything reaches the cluster it checks that the user is a member of the team, the team owns the namespace, the team has an approved request when the model's policy needs one, and the operator's limits;",
      'a refused check fails this call with the reason. Otherwise it returns the task id at once (checks passed) while the rollout continues; poll get-deployment-task until completed (ready) or failed.',
      'Deploying a model that already runs there replaces its version and replica count.',
    ].join(' '),
    // a re-deploy replaces what runs; each call starts a rollout
    attributes: { readOnly: false, destructive: true, idempotent: false },
    schema: {
      input: z =>
        inputSchema(z, {
          model: z
            .string()
            .min(1)
            .describe('The model: entity ref model:<namespace>/<name>'),
          version: z
            .string()
            .min(1)
            .optional()
            .describe(
              "A version of the model; the model's default when absent",
            ),
          team: z
            .string()
            .min(1)
            .describe(
              'Entity ref of the team (group:<namespace>/<name>) that owns the deployment; the user must be a member',
            ),
          namespace: z
            .string()
            .min(1)
            .describe(
              "A Kubernetes namespace the team owns (the group's aic.dev/kubernetes-namespaces annotation lists cluster/namespace pairs)",
            ),
          cluster: z
            .string()
            .min(1)
            .describe('Name of the cluster, as configured in Backstage'),
          replicas: z
            .number()
            .int()
            .min(1)
            .max(10)
            .optional()
            .describe("Number of replicas; the model's minimum when absent"),
        }),
      output: runSchema,
    },
    action: async ({ input, credentials }) => ({
      output: await runs.start(
        credentials,
        `Deploy of ${input.model}`,
        options.deployTemplateRef,
        withoutUndefined(input),
      ),
    }),
  });

  registry.register({
    name: 'undeploy-model',
    title: 'Undeploy a model',
    description: [
      "Removes a model deployment (an id from list-deployments) by running the portal's undeploy template: the Kubernetes objects the inventory recorded for it are deleted.",
      "The user must be a member of the deployment's team and the team must own the namespace; a refused check fails this call with the reason.",
      'Returns the task id; poll get-deployment-task until completed.',
    ].join(' '),
    attributes: { readOnly: false, destructive: true, idempotent: true },
    schema: {
      input: z =>
        inputSchema(z, {
          deploymentId: z
            .string()
            .min(1)
            .describe('The deployment id, from list-deployments'),
        }),
      output: runSchema,
    },
    action: async ({ input, credentials }) => {
      const { items } = await apis.asCaller(
        credentials,
        'Cannot list deployments',
        o => apis.marketplace.listDeployments({}, o),
      );
      const record = items.find(d => d.id === input.deploymentId);
      if (!record) {
        throw new NotFoundError(
          `No live deployment with id '${input.deploymentId}'; list-deployments shows the current ones`,
        );
      }
      return {
        output: await runs.start(
          credentials,
          `Undeploy of ${record.model} from ${record.cluster}/${record.namespace}`,
          options.undeployTemplateRef,
          {
            deploymentId: record.id,
            model: record.model,
            team: record.team,
            namespace: record.namespace,
            cluster: record.cluster,
          },
        ),
      };
    },
  });

  registry.register({
    name: 'get-deployment-task',
    title: 'Get the progress of a deploy or undeploy',
    description: [
      'Reads a deploy-model or undeploy-model task: its status (processing, completed, failed), the last log line, the error when it failed,',
      'and for a deploy the resulting deployment with its live status and endpoint. Poll it after deploy-model until status is completed or failed.',
    ].join(' '),
    attributes: { readOnly: true, idempotent: true, destructive: false },
    schema: {
      input: z =>
        inputSchema(z, {
          taskId: z
            .string()
            .min(1)
            .describe('The task id deploy-model or undeploy-model returned'),
        }),
      output: z =>
        runSchema(z).extend({
          error: z
            .string()
            .optional()
            .describe('Why the task failed, when it did'),
          deployment: deploymentSchema(z)
            .optional()
            .describe(
              'For a completed deploy: the deployment it recorded, with live status',
            ),
        }),
    },
    action: async ({ input, credentials }) => {
      const task = await runs.get(credentials, input.taskId);
      // A finished deploy: its deployment is the live row of the model and
      // team in the namespace the template was given.
      const p = task.parameters ?? {};
      let deployment;
      if (
        task.status === 'completed' &&
        task.templateRef === options.deployTemplateRef &&
        typeof p.model === 'string' &&
        typeof p.team === 'string'
      ) {
        const { items } = await apis.asCaller(
          credentials,
          'Cannot list deployments',
          o =>
            apis.marketplace.listDeployments(
              { model: String(p.model), team: String(p.team) },
              o,
            ),
        );
        const found = items.find(
          d => d.namespace === p.namespace && d.cluster === p.cluster,
        );
        deployment = found && compactDeployment(found);
      }
      return {
        output: {
          taskId: task.taskId,
          status: task.status,
          checks: task.checks,
          lastMessage: task.lastMessage,
          error: task.error,
          deployment,
        },
      };
    },
  });
}

function withoutUndefined(input: Record<string, unknown>): JsonObject {
  return JSON.parse(JSON.stringify(input));
}
