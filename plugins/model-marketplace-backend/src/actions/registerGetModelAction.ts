import type { ActionsRegistryService } from '@backstage/backend-plugin-api/alpha';
import {
  MODEL_ACCESS_POLICIES,
  MODEL_REQUEST_STATUSES,
} from '@aic/plugin-model-marketplace-common';
import type { CallerApis } from './CallerApis';
import { inputSchema } from './inputSchema';
import {
  describeMetrics,
  metricValueSchema,
  readModelEntities,
} from './modelMetrics';
import { compactModel, modelSummarySchema } from './schemas';

/** `get-model`: `GET /models/:namespace/:name` with declared metric meanings. */
export function registerGetModelAction(
  registry: ActionsRegistryService,
  apis: CallerApis,
) {
  registry.register({
    name: 'get-model',
    title: 'Get a model',
    description: [
      'Reads one model of the marketplace: its summary, every version (artifact, format, metrics with unit and whether higher or lower is better), its access policy (who approves requests, which groups may request it),',
      'how many requests and deployments it has, and what the user may do with it (their teams, whether they may request it, whether they approve requests for it).',
      'Use it before requesting or deploying a model, to pick a version and a team.',
    ].join(' '),
    attributes: { readOnly: true, idempotent: true, destructive: false },
    schema: {
      input: z =>
        inputSchema(z, {
          model: z
            .string()
            .min(1)
            .describe(
              'The model: entity ref model:<namespace>/<name>, <namespace>/<name>, or a bare name in the default namespace',
            ),
        }),
      output: z =>
        z.object({
          model: modelSummarySchema(z).describe('Summary of the model'),
          versions: z
            .array(
              z.object({
                version: z.string().describe('Version name'),
                default: z
                  .boolean()
                  .describe('Whether this is the default version'),
                artifact: z
                  .string()
                  .describe(
                    'Where the weights are (hf://, s3://, oci://, ...)',
                  ),
                format: z
                  .string()
                  .optional()
                  .describe('Weight format: safetensors, onnx, gguf, ...'),
                created: z
                  .string()
                  .optional()
                  .describe('When the version was produced'),
                metrics: z
                  .array(metricValueSchema(z))
                  .describe('Evaluation metrics of this version'),
              }),
            )
            .describe('Every version, as declared'),
          access: z
            .object({
              policy: z
                .enum(MODEL_ACCESS_POLICIES)
                .describe(
                  'open: requests are approved at once; approval: an approver decides; restricted: only allowedGroups may request',
                ),
              approvers: z
                .array(z.string())
                .describe('Entity refs of who approves requests'),
              allowedGroups: z
                .array(z.string())
                .optional()
                .describe(
                  'With policy restricted: the groups that may request',
                ),
              termsUrl: z
                .string()
                .optional()
                .describe('Terms of use to accept'),
            })
            .describe('Who may use the model and who approves'),
          requestCounts: z
            .record(z.enum(MODEL_REQUEST_STATUSES), z.number())
            .describe('Number of requests for the model, by status'),
          deploymentCounts: z
            .object({
              total: z.number().describe('Every recorded deployment'),
              active: z.number().describe('Deployments deploying or deployed'),
            })
            .describe('Deployments of the model'),
          viewer: z
            .object({
              teams: z
                .array(z.string())
                .describe(
                  'Entity refs of the groups the user belongs to: the teams they may request or deploy for',
                ),
              canRequest: z
                .boolean()
                .describe('Whether the access policy lets the user request it'),
              isApprover: z
                .boolean()
                .describe('Whether the user approves requests for it'),
              deploy: z
                .object({
                  teams: z
                    .array(z.string())
                    .describe('The teams the user may deploy the model for'),
                  reason: z
                    .string()
                    .optional()
                    .describe('With no team: why a deploy would be refused'),
                })
                .optional()
                .describe("The deploy guard's answer for the user"),
            })
            .describe('What the calling user may do with the model'),
        }),
    },
    action: async ({ input, credentials }) => {
      const details = await apis.asCaller(
        credentials,
        `Cannot read model ${input.model}`,
        o => apis.marketplace.getModel(input.model, o),
      );
      const entities = await readModelEntities(apis, credentials, [
        details.model.ref,
      ]);
      const entity = entities.get(details.model.ref);
      return {
        output: {
          model: compactModel(details.model),
          versions: details.versions.map(v => ({
            version: v.version,
            default: v.default === true,
            artifact: v.artifact,
            format: v.format,
            created: v.created,
            metrics: describeMetrics(v.metrics, entity),
          })),
          access: {
            policy: details.model.accessPolicy,
            approvers: details.approvers,
            allowedGroups: details.allowedGroups,
            termsUrl: details.termsUrl,
          },
          requestCounts: details.requestCounts,
          deploymentCounts: details.deploymentCounts,
          viewer: details.viewer,
        },
      };
    },
  });
}
