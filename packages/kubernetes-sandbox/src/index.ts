/**
 * A small HTTPS Kubernetes API server for tests and the local demo. Not a
 * cluster: it keeps objects in memory and simulates rollouts.
 *
 * @packageDocumentation
 */

export { startKubernetesSandbox } from './startKubernetesSandbox';
export { FaultInjector } from './FaultInjector';
export { answerFault } from './answerFault';
export type {
  KubernetesSandbox,
  SandboxFault,
  SandboxOptions,
  SandboxRequestLogEntry,
  WorkloadBehavior,
} from './types';
export {
  startTestCluster,
  type TestCluster,
  type TestClusterObjectRef,
} from './testCluster';
export {
  parseFlags,
  parsePort,
  splitList,
  type FlagHandler,
} from './parseFlags';
