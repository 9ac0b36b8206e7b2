import { LiveObject } from './types';

/** The rollout state of one workload object. @public */
export type Readiness = {
  state: 'ready' | 'progressing' | 'failed';
  message: string;
  readyReplicas?: number;
  desiredReplicas?: number;
  /** (LLM)InferenceService `status.url` (or first address), when ready. */
  url?: string;
};

/**
 * Reasons of an InferenceService `Ready=False` condition that will not
 * resolve by waiting.
 */
const TERMINAL_ISVC_REASONS = new Set([
  'ProgressDeadlineExceeded',
  'RevisionFailed',
  'FailedToLoad',
  'InvalidPredictorSpec',
  'InvalidSpec',
  'ServerlessModeRejected',
  'ModelLoadFailed',
]);

type Condition = {
  type?: string;
  status?: string;
  reason?: string;
  message?: string;
};

function condition(obj: LiveObject, type: string): Condition | undefined {
  const conditions = (obj.status?.conditions ?? []) as Condition[];
  return conditions.find(c => c.type === type);
}

/**
 * Readiness of a Deployment by `kubectl rollout status` rules.
 */
function deploymentReadiness(obj: LiveObject): Readiness {
  const name = obj.metadata?.name;
  const status = obj.status ?? {};
  const generation = obj.metadata?.generation ?? 0;
  const desired: number = obj.spec?.replicas ?? 1;
  const updated: number = status.updatedReplicas ?? 0;
  const replicas: number = status.replicas ?? 0;
  const available: number = status.availableReplicas ?? 0;
  const counts = { readyReplicas: available, desiredReplicas: desired };
  const ready = `${available}/${desired} ready`;
  if ((status.observedGeneration ?? -1) < generation) {
    return {
      state: 'progressing',
      message: `${ready} (spec update not observed yet)`,
      ...counts,
    };
  }
  const progressing = condition(obj, 'Progressing');
  if (progressing?.reason === 'ProgressDeadlineExceeded') {
    return {
      state: 'failed',
      message: `deployment "${name}" exceeded its progress deadline${
        progressing.message ? `: ${progressing.message}` : ''
      }`,
      ...counts,
    };
  }
  if (updated < desired) {
    return {
      state: 'progressing',
      message: `${ready} (${updated} of ${desired} new replicas updated)`,
      ...counts,
    };
  }
  if (replicas > updated) {
    return {
      state: 'progressing',
      message: `${ready} (${
        replicas - updated
      } old replicas pending termination)`,
      ...counts,
    };
  }
  if (available < updated) {
    return {
      state: 'progressing',
      message: ready,
      ...counts,
    };
  }
  return {
    state: 'ready',
    message: `${available}/${desired} ready`,
    ...counts,
  };
}

function inferenceServiceReadiness(obj: LiveObject): Readiness {
  const status = obj.status ?? {};
  const generation = obj.metadata?.generation;
  if (
    generation !== undefined &&
    status.observedGeneration !== undefined &&
    status.observedGeneration < generation
  ) {
    return {
      state: 'progressing',
      message: 'spec update not observed yet',
    };
  }
  const ready = condition(obj, 'Ready');
  const desired: number | undefined =
    obj.kind === 'LLMInferenceService'
      ? obj.spec?.replicas ?? 1
      : obj.spec?.predictor?.minReplicas;
  if (ready?.status === 'True') {
    return {
      state: 'ready',
      message: 'Ready',
      url: status.url ?? status.addresses?.[0]?.url,
      desiredReplicas: desired,
      readyReplicas: desired,
    };
  }
  const failedState = status.modelStatus?.states?.targetModelState;
  if (
    ready?.status === 'False' &&
    ((ready.reason && TERMINAL_ISVC_REASONS.has(ready.reason)) ||
      failedState === 'FailedToLoad')
  ) {
    return {
      state: 'failed',
      message: `${obj.kind} "${obj.metadata?.name}" failed: ${
        ready.reason ?? failedState
      }${ready.message ? `: ${ready.message}` : ''}`,
      desiredReplicas: desired,
      readyReplicas: 0,
    };
  }
  return {
    state: 'progressing',
    message: ready?.reason
      ? `not ready (${ready.reason}${
          ready.message ? `: ${ready.message}` : ''
        })`
      : 'not ready yet',
    desiredReplicas: desired,
    readyReplicas: 0,
  };
}

/**
 * Whether a workload object has rolled out: Deployments by
 * `kubectl rollout status` rules (fail at once on
 * `ProgressDeadlineExceeded`), InferenceServices and LLMInferenceServices
 * by their `Ready` condition. Other kinds are ready as soon as they exist.
 *
 * @public
 */
export function evaluateReadiness(obj: LiveObject): Readiness {
  switch (obj.kind) {
    case 'Deployment':
      return deploymentReadiness(obj);
    case 'InferenceService':
    case 'LLMInferenceService':
      return inferenceServiceReadiness(obj);
    default:
      return { state: 'ready', message: 'exists' };
  }
}
