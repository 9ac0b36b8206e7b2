export * from './ModelEntityV1alpha1';
export { isModelEntity } from './isModelEntity';
export {
  validateModelEntity,
  modelEntityV1alpha1Validator,
} from './modelEntityV1alpha1Validator';
export { modelEntityV1alpha1Schema } from './modelEntityV1alpha1Schema';
export {
  DEFAULT_MODEL_ACCESS_POLICY,
  modelAccessPolicy,
} from './modelAccessPolicy';
export {
  bestMetricValue,
  compareMetricValues,
  formatMetricValue,
  modelMetricDefinition,
  resolveModelMetric,
  type ResolvedModelMetric,
  type WithModelEvaluation,
} from './modelMetrics';
export {
  MODEL_CHANGED_TOPIC,
  modelChangeKey,
  modelFingerprint,
  type ModelChangedEvent,
} from './modelChanges';
