/**
 * Types of the benchmark API: `GET /metrics` and `GET /metrics/:name`.
 */
import type { ModelMetricDirection } from '../entity/ModelEntityV1alpha1';
import type { ModelSummary } from './models';

/** A metric reported by at least one model, as listed by `GET /metrics`. @public */
export type ModelMetricSummary = {
  /** The key in `spec.versions[].metrics`. */
  name: string;
  /** The declared display name, or the name. */
  label: string;
  unit?: string;
  /** Set when the models that declare the metric agree on it (and on the unit). */
  direction?: ModelMetricDirection;
  /** How many models report the metric on their default version. */
  models: number;
};

/** Body of `GET /metrics`. @public */
export type ListModelMetricsResponse = {
  items: ModelMetricSummary[];
};

/** One model's value of the metric. @public */
export type ModelMetricBenchmarkEntry = {
  model: ModelSummary;
  /** The version the value is taken from: the model's default version. */
  version: string;
  value: number;
  /** 1 is best; equal values share a rank. Absent when the metric is not ranked. */
  rank?: number;
  /** The dataset the model declares for the metric. */
  dataset?: string;
};

/** Body of `GET /metrics/:name`. @public */
export type ModelMetricBenchmark = {
  metric: ModelMetricSummary & {
    /** Why the metric is not ranked, when `direction` is absent. */
    unrankedReason?: string;
  };
  /** Best first when ranked; otherwise by value, highest first. */
  items: ModelMetricBenchmarkEntry[];
};
