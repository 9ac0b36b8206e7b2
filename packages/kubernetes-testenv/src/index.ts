/**
 * A real Kubernetes control plane for tests, the benchmark and the demo:
 * etcd, kube-apiserver, kube-controller-manager, kube-scheduler and kwok
 * nodes, built from official sources by scripts/build-binaries.sh.
 *
 * @packageDocumentation
 */

export {
  startKubernetesTestEnv,
  defaultRbacFile,
} from './startKubernetesTestEnv';
export {
  TESTENV_VERSIONS,
  findTestEnvBinaries,
  hasTestEnvBinaries,
  testEnvCacheDir,
} from './binaries';
export type { TestEnvBinaries } from './binaries';
export { startFaultProxy } from './startFaultProxy';
export type { FaultProxy, ProxyRequestLogEntry } from './startFaultProxy';
export { TestOnlyInferenceServiceStatusWriter } from './TestOnlyInferenceServiceStatusWriter';
export type {
  KubernetesTestEnv,
  KubernetesTestEnvOptions,
  TestEnvIdentity,
} from './types';
export {
  TEST_TEAMS,
  clusterSuites,
  connectSharedTestEnv,
  testEnvAvailable,
} from './testing/sharedTestEnv';
export type { SharedTestEnv } from './testing/sharedTestEnv';
export {
  startRealTestCluster,
  startTestClusterForTests,
} from './testing/realTestCluster';
export type {
  RealTestCluster,
  RealTestClusterObjectRef,
} from './testing/realTestCluster';
