import type { ActionsRegistryService } from '@backstage/backend-plugin-api/alpha';
import { InputError } from '@backstage/errors';
import {
  bestMetricValue,
  resolveModelMetric,
  type ModelVersion,
} from '@aic/plugin-model-marketplace-common';
import type { CallerApis } from './CallerApis';
import { inputSchema } from './inputSchema';
import { readModelEntities } from './modelMetrics';
import { compactModel, modelSummarySchema } from './schemas';

const defaultVersion = (versions: ModelVersion[]) =>
  versions.find(v => v.default) ?? versions[0];

/** `compare-models`: 2 to 4 models side by side, metrics ranked where declared. */
export function registerCompareModelsAction(
  registry: ActionsRegistryService,
  apis: CallerApis,
) {
  registry.register({
    name: 'compare-models',
    title: 'Compare models',
    description: [
      'Compares 2 to 4 marketplace models side by side: their summaries (type, task, licence, size, owner, access policy, runtime)',
      'and every metric their default versions report, with unit, direction (higher or lower is better) and the best model for each metric.',
      'A metric is ranked only when every model that declares it agrees on direction and unit; otherwise unrankedReason says why.',
    ].join(' '),
    attributes: { readOnly: true, idempotent: true, destructive: false },
    schema: {
      input: z =>
        inputSchema(z, {
          models: z
            .array(z.string().min(1))
            .min(2)
            .max(4)
            .describe(
              'The models to compare, 2 to 4 entity refs (model:<namespace>/<name>) or bare names',
            ),
        }),
      output: z =>
        z.object({
          models: z
            .array(
              modelSummarySchema(z).extend({
                comparedVersion: z
                  .string()
                  .describe(
                    'The version whose metrics are compared (the default)',
                  ),
              }),
            )
            .describe('The models, in the order asked'),
          metrics: z
            .array(
              z.object({
                name: z.string().describe('Metric key'),
                label: z.string().describe('Display name'),
                unit: z.string().optional().describe('Unit, where declared'),
                direction: z
                  .enum(['higher', 'lower'])
                  .optional()
                  .describe('Which way is better; absent when not ranked'),
                unrankedReason: z
                  .string()
                  .optional()
                  .describe('Why the metric is not ranked, when it is not'),
                values: z
                  .array(
                    z.object({
                      model: z.string().describe('Entity ref of the model'),
                      value: z
                        .number()
                        .optional()
                        .describe(
                          'Its value; absent when it does not report it',
                        ),
                    }),
                  )
                  .describe('One entry per model, in the order asked'),
                best: z
                  .array(z.string())
                  .describe(
                    'Entity refs of the model(s) with the best value; empty when not ranked or fewer than two values',
                  ),
              }),
            )
            .describe('Every metric any of the models reports'),
        }),
    },
    action: async ({ input, credentials }) => {
      const details = await Promise.all(
        input.models.map(model =>
          apis.asCaller(credentials, `Cannot read model ${model}`, o =>
            apis.marketplace.getModel(model, o),
          ),
        ),
      );
      const refs = details.map(d => d.model.ref);
      if (new Set(refs).size !== refs.length) {
        throw new InputError(
          `'models' names the same model twice: ${refs.join(', ')}`,
        );
      }
      const entities = await readModelEntities(apis, credentials, refs);
      const compared = details.map(d => defaultVersion(d.versions));
      const names = [
        ...new Set(compared.flatMap(v => Object.keys(v?.metrics ?? {}))),
      ].sort();
      const declaring = [...entities.values()];
      return {
        output: {
          models: details.map((d, i) => ({
            ...compactModel(d.model),
            comparedVersion: compared[i]?.version ?? '',
          })),
          metrics: names.map(name => {
            const resolved = resolveModelMetric(declaring, name);
            const values = compared.map(v => v?.metrics?.[name]);
            const best = bestMetricValue(values, resolved.direction);
            return {
              name,
              label: resolved.label,
              unit: resolved.unit,
              direction: resolved.direction,
              unrankedReason: resolved.unrankedReason,
              values: refs.map((model, i) => ({ model, value: values[i] })),
              best:
                best === undefined
                  ? []
                  : refs.filter((_, i) => values[i] === best),
            };
          }),
        },
      };
    },
  });
}
