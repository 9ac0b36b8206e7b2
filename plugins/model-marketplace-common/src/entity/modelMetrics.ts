import type {
  ModelEvaluation,
  ModelMetricDefinition,
  ModelMetricDirection,
} from './ModelEntityV1alpha1';

/**
 * How one metric reads across one or more models: its label, unit and
 * direction. `direction` is set only when every model that declares the
 * metric agrees on it and on its unit; otherwise nothing may be ranked.
 *
 * @public
 */
export type ResolvedModelMetric = {
  name: string;
  label: string;
  unit?: string;
  dataset?: string;
  direction?: ModelMetricDirection;
  /** Why the metric is not ranked, when it is not. */
  unrankedReason?: string;
};

/** Anything with a Model's `spec.evaluation`, such as a Model entity. @public */
export type WithModelEvaluation = { spec: { evaluation?: ModelEvaluation } };

/** The declaration of metric `name` in `spec.evaluation`, if any. @public */
export function modelMetricDefinition(
  model: WithModelEvaluation,
  name: string,
): ModelMetricDefinition | undefined {
  return model.spec.evaluation?.metrics?.find(m => m.name === name);
}

/**
 * Reads metric `name` across `models`: the declarations of the models that
 * declare it must agree on direction and unit for the metric to be ranked.
 *
 * @public
 */
export function resolveModelMetric(
  models: WithModelEvaluation[],
  name: string,
): ResolvedModelMetric {
  const declared = models
    .map(m => modelMetricDefinition(m, name))
    .filter((d): d is ModelMetricDefinition => d !== undefined);
  const first = declared[0];
  const resolved: ResolvedModelMetric = {
    name,
    label: first?.displayName ?? name,
    unit: first?.unit,
    dataset: first?.dataset,
  };
  const directions = new Set(declared.map(d => d.direction));
  const units = new Set(declared.map(d => d.unit));
  if (declared.length === 0 || first.direction === undefined) {
    resolved.unrankedReason = 'no direction is declared';
  } else if (directions.size > 1) {
    resolved.unrankedReason = 'the models declare different directions';
  } else if (units.size > 1) {
    resolved.unrankedReason = 'the models declare different units';
  } else {
    resolved.direction = first.direction;
  }
  return resolved;
}

/**
 * The best of `values` in `direction`, or undefined when there is no
 * direction or fewer than two values to compare.
 *
 * @public
 */
export function bestMetricValue(
  values: Array<number | undefined>,
  direction: ModelMetricDirection | undefined,
): number | undefined {
  const present = values.filter(
    (v): v is number => typeof v === 'number' && !Number.isNaN(v),
  );
  if (!direction || present.length < 2) {
    return undefined;
  }
  return direction === 'higher' ? Math.max(...present) : Math.min(...present);
}

/**
 * Sorts by metric value, best first in `direction`; without a direction the
 * order is by value, highest first, and carries no meaning of "better".
 *
 * @public
 */
export function compareMetricValues(
  direction: ModelMetricDirection | undefined,
): (a: number, b: number) => number {
  return direction === 'lower' ? (a, b) => a - b : (a, b) => b - a;
}

/** `0.541`, `39 ms`, `71.250%`: integers as they are, others to three decimals. @public */
export function formatMetricValue(
  value: number | undefined,
  unit?: string,
): string {
  if (value === undefined || Number.isNaN(value)) {
    return '—';
  }
  const number = Number.isInteger(value) ? String(value) : value.toFixed(3);
  if (!unit) {
    return number;
  }
  return unit === '%' ? `${number}%` : `${number} ${unit}`;
}
