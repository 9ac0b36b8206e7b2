/**
 * Options for {@link startKubernetesTestEnv}.
 *
 * @public
 */
export interface KubernetesTestEnvOptions {
  /**
   * Teams: a ServiceAccount `team-<name>` (namespace `aic-teams`) and a token
   * for each, bound to the `model-marketplace-deployer` ClusterRole by a
   * RoleBinding in each of its namespaces and nowhere else.
   */
  teams?: Record<string, string[]>;
  /** More namespaces to create. */
  namespaces?: string[];
  /** Fake kwok nodes without GPUs (default 2) and with 8 `nvidia.com/gpu` each (default 2). */
  cpuNodes?: number;
  gpuNodes?: number;
  /** Ports are picked from this range (default 17000-17999, or AIC_TESTENV_PORTS="from-to"). */
  portRange?: [number, number];
  /** Fixed apiserver port (default: picked from the range). */
  apiserverPort?: number;
  /** Folder for certificates, etcd data and logs (default: a new temp folder, removed on stop). */
  workDir?: string;
  /** Cache folder of the built binaries (default AIC_KUBE_CACHE or ~/.cache/aic-kube-testenv). */
  cacheDir?: string;
  /** RBAC YAML applied after start (default: examples/kubernetes/backstage-rbac.yaml of this repo). */
  rbacFile?: string;
  /** Run the test-only KServe status writer (default true). */
  kserveStatusWriter?: boolean;
  /** Progress lines (default: none). */
  log?: (line: string) => void;
  /** How long start() may take (default 180 s). */
  startTimeoutMs?: number;
}

/**
 * What a client needs to reach the test control plane as one identity.
 *
 * @public
 */
export interface TestEnvIdentity {
  name: string;
  token: string;
  namespaces: string[] | '*';
}

/**
 * A running control plane.
 *
 * @public
 */
export interface KubernetesTestEnv {
  /** https://127.0.0.1:<port> of kube-apiserver. */
  url: string;
  /** Base64 PEM of the CA (for certificate-authority-data / caData). */
  caData: string;
  caPem: string;
  /** The serving certificate and key of kube-apiserver (a fault proxy can reuse them). */
  servingCertPem: string;
  servingKeyPem: string;
  /** Admin kubeconfig (client certificate in system:masters). */
  adminKubeconfig: string;
  /** A kubeconfig with a context per team, `backstage` and `admin`. */
  kubeconfig: string;
  /** Team name -> ServiceAccount token. */
  tokens: Record<string, string>;
  /** The token of ServiceAccount backstage/backstage (examples/kubernetes/backstage-rbac.yaml). */
  backstageToken: string;
  /** Names of the fake nodes. */
  nodes: string[];
  workDir: string;
  /** Process ids of etcd, kube-apiserver, controller-manager, scheduler and kwok. */
  pids: Record<string, number | undefined>;
  /** Writes a kubeconfig with a context per identity (0600). */
  writeKubeconfig(path: string): void;
  /** Stops every process, waits until they are gone, removes the temp folder. */
  stop(): Promise<void>;
}
