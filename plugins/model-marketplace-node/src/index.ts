/**
 * Node library of the model marketplace: cluster resolution, manifest
 * rendering, apply, readiness and rollback, shared by the marketplace
 * backend and the scaffolder module.
 *
 * @packageDocumentation
 */

export { ClusterRegistry, type ClusterDetails } from './ClusterRegistry';
export { deploymentName, labelValue } from './deploymentName';
export {
  renderModelManifests,
  resolveModelVersion,
  type RenderModelManifestsOptions,
  type RenderedModelDeployment,
} from './renderModelManifests';
export { evaluateReadiness, type Readiness } from './evaluateReadiness';
export { LLM_INFERENCE_SERVICE_API_VERSION } from './renderLlmInferenceService';
export {
  describeFailure,
  retryDelayMs,
  withRetry,
  sleep,
  type RetryOptions,
  type FailureInfo,
} from './retryPolicy';
export { toBackstageError, redact } from './toBackstageError';
export {
  KubernetesApiClient,
  FIELD_MANAGER,
  type KubernetesApiClientOptions,
} from './KubernetesApiClient';
export {
  ModelDeployer,
  type ModelDeployerOptions,
  type DeployRequest,
  type DeployResult,
  type ApplyResult,
  type RollbackResult,
  type InspectResult,
} from './ModelDeployer';
export {
  DeployLimits,
  type DeployLimitsOptions,
  type DeployLimitsTarget,
} from './DeployLimits';
export { parseCpuQuantity, parseMemoryQuantity } from './quantities';
export { KubernetesDeploymentStatusReader } from './KubernetesDeploymentStatusReader';
export {
  KubernetesWorkloadDiscovery,
  DISCOVERED_KINDS,
  storageUrisOf,
  type DiscoveredWorkload,
  type DiscoveryResult,
} from './KubernetesWorkloadDiscovery';
export {
  matchDiscoveredWorkload,
  type DiscoveredWorkloadMatch,
} from './matchDiscoveredWorkload';
export { CachedDeploymentStatusReader } from './CachedDeploymentStatusReader';
export {
  RolloutFailedError,
  RolloutTimeoutError,
  DeployCancelledError,
} from './errors';
export {
  refOf,
  describeRef,
  WORKLOAD_KINDS,
  type KubernetesManifest,
  type LiveObject,
} from './types';
