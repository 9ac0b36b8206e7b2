import type { BackstageCredentials } from '@backstage/backend-plugin-api';
import {
  isModelEntity,
  type ModelEntity,
} from '@aic/plugin-model-marketplace-common';
import type { CallerApis } from './CallerApis';
import type { Zod } from './schemas';

/**
 * The Model entities behind `refs`, read from the catalog as the caller
 * (the catalog read permission decides; invisible models are absent). Only
 * what the REST API does not return is taken from them: the declarations of
 * the metrics (`spec.evaluation`).
 */
export async function readModelEntities(
  apis: CallerApis,
  credentials: BackstageCredentials,
  refs: string[],
): Promise<Map<string, ModelEntity>> {
  const { items } = await apis.catalog.getEntitiesByRefs(
    { entityRefs: refs },
    { credentials },
  );
  const byRef = new Map<string, ModelEntity>();
  items.forEach((entity, i) => {
    if (isModelEntity(entity)) {
      byRef.set(refs[i], entity);
    }
  });
  return byRef;
}

export const metricValueSchema = (z: Zod) =>
  z.object({
    name: z.string().describe('Metric key, e.g. mteb-avg or latency-p95'),
    label: z
      .string()
      .describe('Display name declared by the owner, or the key'),
    value: z.number().describe('The value of this version'),
    unit: z.string().optional().describe('Unit, where declared (%, ms, ...)'),
    direction: z
      .enum(['higher', 'lower'])
      .optional()
      .describe(
        'Whether higher or lower is better, where declared; without it the value cannot be ranked',
      ),
    dataset: z
      .string()
      .optional()
      .describe('Evaluation dataset, where declared'),
  });

/** A version's metrics with their declared label, unit and direction. */
export function describeMetrics(
  metrics: Record<string, number> | undefined,
  entity: ModelEntity | undefined,
) {
  return Object.entries(metrics ?? {}).map(([name, value]) => {
    const declared = entity?.spec.evaluation?.metrics?.find(
      m => m.name === name,
    );
    return {
      name,
      label: declared?.displayName ?? name,
      value,
      unit: declared?.unit,
      direction: declared?.direction,
      dataset: declared?.dataset,
    };
  });
}
