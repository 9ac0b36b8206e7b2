import fs from 'node:fs';
import { hasTestEnvBinaries, BUILD_COMMAND } from '../binaries';
import { startKubernetesTestEnv } from '../startKubernetesTestEnv';

/**
 * The team service accounts every real-control-plane test can use:
 * `deployer` is bound in team-a..team-d, `other` only in `other`.
 *
 * @public
 */
export const TEST_TEAMS: Record<string, string[]> = {
  deployer: ['team-a', 'team-b', 'team-c', 'team-d'],
  other: ['other'],
};

/** What a test needs of a running control plane. @public */
export interface SharedTestEnv {
  url: string;
  caData: string;
  caPem: string;
  servingCertPem: string;
  servingKeyPem: string;
  adminKubeconfig: string;
  tokens: Record<string, string>;
  backstageToken: string;
  /** Stops it when this process started it; leaves a shared one running. */
  release(): Promise<void>;
}

/** The JSON `kube-testenv --info-file` writes. */
function readInfo(file: string): SharedTestEnv {
  const info = JSON.parse(fs.readFileSync(file, 'utf8'));
  for (const key of ['url', 'caData', 'adminKubeconfig', 'tokens']) {
    if (!info[key]) throw new Error(`${file} has no ${key}`);
  }
  for (const team of Object.keys(TEST_TEAMS)) {
    if (!info.tokens[team]) {
      throw new Error(
        `the control plane of ${file} has no token for team '${team}'; start it with kube-testenv --for-tests`,
      );
    }
  }
  return {
    ...info,
    caPem: Buffer.from(info.caData, 'base64').toString('utf8'),
    release: async () => {},
  };
}

/**
 * Whether real-control-plane tests run here. In CI (CI=true) they always
 * do, so missing binaries fail the run loudly instead of skipping; on a
 * developer machine without the built binaries they are skipped with a
 * message naming the build command.
 *
 * @public
 */
export function testEnvAvailable(): boolean {
  if (process.env.AIC_TESTENV_INFO) return true;
  if (process.env.CI && process.env.CI !== 'false') return true;
  if (hasTestEnvBinaries()) return true;
  // eslint-disable-next-line no-console
  console.warn(
    `Skipping real Kubernetes control plane tests: the binaries are not built. Build them with ${BUILD_COMMAND}.`,
  );
  return false;
}

/**
 * The control plane for this test file: the one named by AIC_TESTENV_INFO
 * (.ci/run starts one for the whole run with `kube-testenv --for-tests
 * --info-file`), or a new one started here with TEST_TEAMS, stopped by
 * `release()`.
 *
 * @public
 */
export async function connectSharedTestEnv(): Promise<SharedTestEnv> {
  const file = process.env.AIC_TESTENV_INFO;
  if (file) {
    if (!fs.existsSync(file)) {
      throw new Error(
        `AIC_TESTENV_INFO names ${file}, which does not exist; is kube-testenv running?`,
      );
    }
    return readInfo(file);
  }
  const env = await startKubernetesTestEnv({ teams: TEST_TEAMS });
  return {
    url: env.url,
    caData: env.caData,
    caPem: env.caPem,
    servingCertPem: env.servingCertPem,
    servingKeyPem: env.servingKeyPem,
    adminKubeconfig: env.adminKubeconfig,
    tokens: env.tokens,
    backstageToken: env.backstageToken,
    release: () => env.stop(),
  };
}

/**
 * The clusters a suite runs on, for `describe.each(clusterSuites(...))(
 * '... on %s', (_, { start, real }) => ...)`: the sandbox always, and the
 * real control plane when `testEnvAvailable()` (then a missing control
 * plane fails the suite, it never skips it).
 *
 * @public
 */
export function clusterSuites<T>(start: {
  sandbox: () => Promise<T>;
  real: () => Promise<T>;
}): Array<[string, { start: () => Promise<T>; real: boolean }]> {
  return [
    ['the sandbox', { start: start.sandbox, real: false }],
    ...(testEnvAvailable()
      ? [
          [
            'a real Kubernetes control plane',
            { start: start.real, real: true },
          ] as [string, { start: () => Promise<T>; real: boolean }],
        ]
      : []),
  ];
}
