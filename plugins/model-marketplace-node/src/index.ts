/**
 * Node library of the model marketplace: cluster resolution, manifest
 * rendering, apply, readiness and rollback, shared by the marketplace
 * backend and the scaffolder module through `modelDeploymentServiceRef`.
 *
 * @packageDocumentation
 */

export {
  modelDeploymentServiceRef,
  type ModelDeploymentService,
} from './modelDeploymentServiceRef';
export { ClusterRegistry, type ClusterDetails } from './ClusterRegistry';
export {
  renderModelManifests,
  resolveModelVersion,
  type RenderModelManifestsOptions,
  type RenderedModelDeployment,
} from './renderModelManifests';
export type { Readiness } from './evaluateReadiness';
export type { RetryOptions, RetryReason } from './retryPolicy';
export { observeRetries } from './retryPolicy';
export {
  KubernetesWorkloadDiscovery,
  type DiscoveredWorkload,
  type DiscoveryResult,
} from './KubernetesWorkloadDiscovery';
export {
  matchDiscoveredWorkload,
  type DiscoveredWorkloadMatch,
} from './matchDiscoveredWorkload';
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
export { KubernetesDeploymentStatusReader } from './KubernetesDeploymentStatusReader';
export { describeRef, type KubernetesManifest, type LiveObject } from './types';
