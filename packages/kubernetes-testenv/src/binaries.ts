import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

/**
 * The component versions the test environment builds and runs. Keep in step
 * with scripts/build-binaries.sh (its defaults) - a test checks they agree.
 *
 * @public
 */
export const TESTENV_VERSIONS = {
  kubernetes: process.env.AIC_KUBERNETES_VERSION || 'v1.34.4',
  etcd: process.env.AIC_ETCD_VERSION || 'v3.6.16',
  kwok: process.env.AIC_KWOK_VERSION || 'v0.8.0',
  kserve: process.env.AIC_KSERVE_VERSION || 'v0.16.0',
};

/** Paths of the built control plane programs and data. @public */
export interface TestEnvBinaries {
  etcd: string;
  kubeApiserver: string;
  kubeControllerManager: string;
  kubeScheduler: string;
  kwok: string;
  /** kwok's node and pod stages, from the kwok module. */
  kwokStages: string;
  /** The KServe CRDs, from the KServe module. */
  kserveCrds: string;
}

/** The cache folder the build script writes to. @public */
export function testEnvCacheDir(): string {
  return (
    process.env.AIC_KUBE_CACHE ||
    path.join(os.homedir(), '.cache', 'aic-kube-testenv')
  );
}

/** Where the build script is, for error messages. */
export const BUILD_COMMAND =
  'bash packages/kubernetes-testenv/scripts/build-binaries.sh (or: yarn workspace @aic/kubernetes-testenv build:binaries)';

/**
 * The built binaries, or an error that says which are missing and how to
 * build them.
 *
 * @public
 */
export function findTestEnvBinaries(
  cacheDir = testEnvCacheDir(),
): TestEnvBinaries {
  const v = TESTENV_VERSIONS;
  const kube = path.join(cacheDir, `kubernetes-${v.kubernetes}`, 'bin');
  const found: TestEnvBinaries = {
    etcd: path.join(cacheDir, `etcd-${v.etcd}`, 'bin', 'aic-etcd'),
    kubeApiserver: path.join(kube, 'kube-apiserver'),
    kubeControllerManager: path.join(kube, 'kube-controller-manager'),
    kubeScheduler: path.join(kube, 'kube-scheduler'),
    kwok: path.join(cacheDir, `kwok-${v.kwok}`, 'bin', 'kwok'),
    kwokStages: path.join(cacheDir, `kwok-${v.kwok}`, 'stages.yaml'),
    kserveCrds: path.join(cacheDir, `kserve-${v.kserve}`, 'crds.yaml'),
  };
  const missing = Object.values(found).filter(p => !fs.existsSync(p));
  if (missing.length > 0) {
    throw new Error(
      `The Kubernetes test environment is not built: missing ${missing.join(
        ', ',
      )}. Build it with ${BUILD_COMMAND}; the first build takes many minutes.`,
    );
  }
  return found;
}

/** Whether the binaries exist (for tooling that can fall back). @public */
export function hasTestEnvBinaries(cacheDir = testEnvCacheDir()): boolean {
  try {
    findTestEnvBinaries(cacheDir);
    return true;
  } catch {
    return false;
  }
}
