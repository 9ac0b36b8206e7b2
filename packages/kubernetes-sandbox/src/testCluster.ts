import { startKubernetesSandbox } from './startKubernetesSandbox';

/** A namespaced object reference. @public */
export type TestClusterObjectRef = {
  apiVersion: string;
  kind: string;
  namespace: string;
  name: string;
};

/**
 * The cluster a test deploys to, as tests see it: how to reach it (URL, CA,
 * a namespace-scoped token), what is in it, and the few behaviours tests
 * steer (whether workloads become ready, failing deletes).
 *
 * On the real control plane, `@aic/kubernetes-testenv` implements the same
 * shape with asynchronous `get`, `listManaged` and `setReadiness`.
 *
 * @public
 */
export interface TestCluster {
  url: string;
  caData: string;
  /** Bearer token that may use exactly the test namespaces. */
  token: string;
  /** One object, or undefined. */
  get(ref: TestClusterObjectRef): any | undefined;
  /** Every object labelled `app.kubernetes.io/managed-by=<managedBy>`. */
  listManaged(managedBy: string): TestClusterObjectRef[];
  /** Mutating requests (not dry-run) the cluster has answered so far. */
  writeCount(): number;
  /** Whether workloads (all, or one by name) become ready or stay progressing. */
  setReadiness(
    readiness: 'ready' | 'never-ready' | 'fail',
    workload?: { namespace: string; name: string },
  ): void;
  /** Makes the next `count` DELETE requests whose path contains `name` fail with 500. */
  failDeletes(name: string, count: number): void;
  close(): Promise<void>;
}

const BEHAVIOR = {
  ready: 'ready',
  'never-ready': 'never-ready',
  fail: 'progress-deadline-exceeded',
} as const;

/**
 * Starts the cluster for a test on the in-process Kubernetes sandbox
 * (simulated rollouts after `rolloutDelayMs`). Tests that should run on the
 * real control plane when one is available use `startTestClusterForTests`
 * of `@aic/kubernetes-testenv`, which falls back to this.
 *
 * @public
 */
export async function startTestCluster(options: {
  namespaces: string[];
  token: string;
  rolloutDelayMs?: number;
}): Promise<TestCluster> {
  const sandbox = await startKubernetesSandbox({
    tokens: { [options.token]: options.namespaces },
    namespaces: options.namespaces,
    rolloutDelayMs: options.rolloutDelayMs ?? 50,
  });
  return {
    url: sandbox.url,
    caData: sandbox.caData,
    token: options.token,
    get: ref =>
      sandbox.getObject(ref.apiVersion, ref.kind, ref.namespace, ref.name),
    listManaged: managedBy =>
      sandbox
        .listObjects()
        .filter(
          o =>
            o?.metadata?.namespace &&
            o.metadata.labels?.['app.kubernetes.io/managed-by'] === managedBy,
        )
        .map(o => ({
          apiVersion: o.apiVersion,
          kind: o.kind,
          namespace: o.metadata.namespace,
          name: o.metadata.name,
        })),
    writeCount: () => sandbox.writeCount(),
    setReadiness: (readiness, workload) => {
      if (workload) {
        sandbox.setWorkloadBehavior(
          workload.namespace,
          workload.name,
          BEHAVIOR[readiness],
        );
      } else {
        sandbox.setDefaultBehavior(BEHAVIOR[readiness]);
      }
    },
    failDeletes: (name, count) =>
      sandbox.injectFaults({
        kind: '500',
        count,
        match: { method: 'DELETE', pathIncludes: name },
      }),
    close: () => sandbox.close(),
  };
}
