/*
 * The clusters the deployer suites run on, behind one shape:
 *
 * - `sandbox`: the in-process Kubernetes sandbox (@aic/kubernetes-sandbox),
 *   simulated rollouts steered by workload behaviours; always available.
 * - `real control plane`: @aic/kubernetes-testenv (kube-apiserver with RBAC
 *   and the KServe CRDs, controller-manager, scheduler, kwok nodes) behind a
 *   fault-injecting, logging TLS proxy; the tests read the cluster as admin
 *   straight from the apiserver. Included when `testEnvAvailable()` says so
 *   (AIC_TESTENV_INFO, CI, or built binaries), and then it fails, never
 *   skips, when the control plane cannot be reached.
 */
import {
  KubernetesSandbox,
  SandboxFault,
  SandboxRequestLogEntry,
  startKubernetesSandbox,
} from '@aic/kubernetes-sandbox';
import {
  FaultProxy,
  SharedTestEnv,
  TEST_TEAMS,
  connectSharedTestEnv,
  startFaultProxy,
  clusterSuites,
} from '@aic/kubernetes-testenv';
import {
  KubeConfig,
  KubernetesObject,
  KubernetesObjectApi,
  PatchStrategy,
} from '@kubernetes/client-node';
import { KubernetesManifest } from '../types';

/** A cluster a deployer suite runs on. */
export interface DeployTarget {
  /** The cluster name the deployer is configured with. */
  cluster: string;
  real: boolean;
  url: string;
  caData: string;
  /** May use team-a … team-d. */
  token: string;
  /** May use only `other`. */
  otherToken: string;
  /** Deployer timing: fast on the sandbox, generous on real controllers. */
  pollIntervalMs: number;
  retry: { baseDelayMs: number; maxDelayMs: number };
  /** A rollout timeout that a never-ready workload surely exceeds. */
  shortTimeoutMs: number;
  /** A rollout timeout, and the bound within which a controller-reported failure must come. */
  progressDeadline: { timeoutMs: number; failsWithinMs: number };
  requestLog: SandboxRequestLogEntry[];
  clearRequestLog(): void;
  /** Before each test: workloads become ready, the request log is empty. */
  reset(): void;
  writeCount(): number;
  injectFaults(fault: SandboxFault): void;
  /** The live object, read past the code under test; undefined when absent. */
  live(
    apiVersion: string,
    kind: string,
    namespace: string,
    name: string,
  ): Promise<any | undefined>;
  /** Server-side apply as another field manager (kubectl, helm, …). */
  applyAs(manager: string, object: KubernetesManifest): Promise<void>;
  delete(object: KubernetesManifest): Promise<void>;
  /**
   * The objects to deploy so that the workload (the first object) never
   * becomes ready: the sandbox is told so, the real control plane gets a
   * GPU request no node can meet (its pod stays Pending).
   */
  neverReady(objects: KubernetesManifest[]): KubernetesManifest[];
  /** As `neverReady`, and the controller reports ProgressDeadlineExceeded. */
  progressDeadlineExceeded(objects: KubernetesManifest[]): KubernetesManifest[];
  /** Resolves once the controllers have finished writing the workload's status. */
  settled(namespace: string, name: string): Promise<void>;
  /**
   * Waits until nothing of `instance` (app.kubernetes.io/instance) is left
   * in the namespace: objects, ReplicaSets and pods.
   */
  expectNothingLeft(namespace: string, instance: string): Promise<void>;
  /** Pods of a selector; the sandbox runs none. */
  pods(namespace: string, selector: string): Promise<any[]>;
  adminKubeconfig?: string;
  close(): Promise<void>;
}

/** What a test here may leave in a namespace, including garbage-collected children. */
const WORKLOAD_KINDS = [
  ['serving.kserve.io/v1beta1', 'InferenceService'],
  ['apps/v1', 'Deployment'],
  ['v1', 'Service'],
  ['apps/v1', 'ReplicaSet'],
  ['v1', 'Pod'],
] as const;

async function eventually<T>(check: () => Promise<T | undefined>) {
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    await new Promise(r => setTimeout(r, 250));
  }
}

/** More GPUs than any fake node has: the pod stays Pending, never Ready. */
function unschedulable(manifest: KubernetesManifest): KubernetesManifest {
  const copy = structuredClone(manifest);
  const containers =
    copy.kind === 'InferenceService'
      ? [copy.spec.predictor.model]
      : copy.spec.template.spec.containers;
  for (const c of containers) {
    c.resources = {
      requests: { ...c.resources?.requests, 'nvidia.com/gpu': '99' },
      limits: { ...c.resources?.limits, 'nvidia.com/gpu': '99' },
    };
  }
  return copy;
}

/** Writes past the code under test, with a client of the test's own. */
function writer(
  client: KubernetesObjectApi,
): Pick<DeployTarget, 'applyAs' | 'delete'> {
  return {
    applyAs: async (manager, object) => {
      await client.patch(
        object as KubernetesObject,
        undefined,
        undefined,
        manager,
        false,
        PatchStrategy.ServerSideApply,
      );
    },
    delete: async object => {
      await client.delete(object as KubernetesObject);
    },
  };
}

const SANDBOX_TOKEN = 'sandbox-token-0123456789-very-secret';
const SANDBOX_OTHER_TOKEN = 'other-token-0123456789-secret';

async function sandboxTarget(): Promise<DeployTarget> {
  const sandbox: KubernetesSandbox = await startKubernetesSandbox({
    tokens: {
      [SANDBOX_TOKEN]: TEST_TEAMS.deployer,
      [SANDBOX_OTHER_TOKEN]: TEST_TEAMS.other,
    },
    namespaces: [...TEST_TEAMS.deployer, ...TEST_TEAMS.other],
    rolloutDelayMs: 50,
  });
  const kc = new KubeConfig();
  kc.loadFromOptions({
    clusters: [
      { name: 'sandbox', server: sandbox.url, caData: sandbox.caData },
    ],
    users: [{ name: 'deployer', token: SANDBOX_TOKEN }],
    contexts: [{ name: 'sandbox', cluster: 'sandbox', user: 'deployer' }],
    currentContext: 'sandbox',
  });
  const kubectl = KubernetesObjectApi.makeApiClient(kc);
  const byBehavior = (
    objects: KubernetesManifest[],
    behavior: 'never-ready' | 'progress-deadline-exceeded',
  ) => {
    sandbox.setWorkloadBehavior(
      objects[0].metadata.namespace,
      objects[0].metadata.name,
      behavior,
    );
    return objects;
  };
  return {
    cluster: 'sandbox',
    real: false,
    url: sandbox.url,
    caData: sandbox.caData,
    token: SANDBOX_TOKEN,
    otherToken: SANDBOX_OTHER_TOKEN,
    pollIntervalMs: 20,
    retry: { baseDelayMs: 10, maxDelayMs: 50 },
    shortTimeoutMs: 300,
    progressDeadline: { timeoutMs: 20_000, failsWithinMs: 5_000 },
    requestLog: sandbox.requestLog,
    clearRequestLog: () => sandbox.clearRequestLog(),
    reset: () => {
      sandbox.setDefaultBehavior('ready');
      sandbox.clearRequestLog();
    },
    writeCount: () => sandbox.writeCount(),
    injectFaults: fault => sandbox.injectFaults(fault),
    live: async (apiVersion, kind, namespace, name) =>
      sandbox.getObject(apiVersion, kind, namespace, name),
    ...writer(kubectl),
    neverReady: objects => byBehavior(objects, 'never-ready'),
    progressDeadlineExceeded: objects =>
      byBehavior(objects, 'progress-deadline-exceeded'),
    settled: async () => {},
    expectNothingLeft: async (namespace, instance) => {
      const left = sandbox
        .listObjects()
        .filter(
          o =>
            o?.metadata?.namespace === namespace &&
            o.metadata.labels?.['app.kubernetes.io/instance'] === instance,
        )
        .map(o => `${o.kind} ${o.metadata.name}`);
      if (left.length) {
        throw new Error(`left in ${namespace}: ${left.join(', ')}`);
      }
    },
    pods: async () => [],
    close: () => sandbox.close(),
  };
}

async function realTarget(): Promise<DeployTarget> {
  const env: SharedTestEnv = await connectSharedTestEnv();
  let proxy: FaultProxy;
  try {
    proxy = await startFaultProxy({
      target: env.url,
      caPem: env.caPem,
      certPem: env.servingCertPem,
      keyPem: env.servingKeyPem,
    });
  } catch (e) {
    await env.release();
    throw e;
  }
  const adminConfig = new KubeConfig();
  adminConfig.loadFromFile(env.adminKubeconfig);
  const admin = KubernetesObjectApi.makeApiClient(adminConfig);
  const list = async (
    apiVersion: string,
    kind: string,
    namespace: string,
    selector?: string,
  ) =>
    (
      await admin.list(
        apiVersion,
        kind,
        namespace,
        undefined,
        undefined,
        undefined,
        undefined,
        selector,
      )
    ).items as any[];
  const live: DeployTarget['live'] = async (
    apiVersion,
    kind,
    namespace,
    name,
  ) => {
    try {
      return await admin.read({
        apiVersion,
        kind,
        metadata: { name, namespace },
      });
    } catch (e) {
      if ((e as { code?: number }).code === 404) return undefined;
      throw e;
    }
  };
  return {
    cluster: 'real',
    real: true,
    url: proxy.url,
    caData: proxy.caData,
    token: env.tokens.deployer,
    otherToken: env.tokens.other,
    pollIntervalMs: 250,
    retry: { baseDelayMs: 50, maxDelayMs: 500 },
    shortTimeoutMs: 4000,
    // the deployment controller's condition, not our timeout
    progressDeadline: { timeoutMs: 200_000, failsWithinMs: 100_000 },
    requestLog: proxy.requestLog,
    clearRequestLog: () => proxy.clearRequestLog(),
    reset: () => proxy.clearRequestLog(),
    writeCount: () => proxy.writeCount(),
    injectFaults: fault => proxy.injectFaults(fault),
    live,
    ...writer(admin),
    neverReady: ([workload, ...rest]) => [unschedulable(workload), ...rest],
    progressDeadlineExceeded: ([workload, ...rest]) => {
      const stuck = unschedulable(workload);
      stuck.spec.progressDeadlineSeconds = 3;
      return [stuck, ...rest];
    },
    settled: async (namespace, name) => {
      // let the deployment controller finish its last status write
      await eventually(async () => {
        const d = await live('apps/v1', 'Deployment', namespace, name);
        const progressing = d.status?.conditions?.find(
          (c: any) => c.type === 'Progressing',
        );
        return progressing?.reason === 'NewReplicaSetAvailable'
          ? true
          : undefined;
      });
    },
    expectNothingLeft: async (namespace, instance) => {
      const selector = `app.kubernetes.io/instance=${instance}`;
      const deadline = Date.now() + 120_000;
      for (;;) {
        const left: string[] = [];
        for (const [apiVersion, kind] of WORKLOAD_KINDS) {
          const items = await list(apiVersion, kind, namespace, selector);
          left.push(...items.map(i => `${kind} ${i.metadata?.name}`));
        }
        if (left.length === 0) return;
        if (Date.now() > deadline) {
          throw new Error(
            `left in ${namespace} after 120 s: ${left.join(', ')}`,
          );
        }
        await new Promise(r => setTimeout(r, 250));
      }
    },
    pods: (namespace, selector) => list('v1', 'Pod', namespace, selector),
    adminKubeconfig: env.adminKubeconfig,
    close: async () => {
      // a shared control plane serves later suites (and the e2e journey):
      // leave the test namespaces empty
      const namespaces = Object.values(TEST_TEAMS).flat();
      const everything = async () => {
        const found: Array<{
          apiVersion: string;
          kind: string;
          metadata: any;
        }> = [];
        for (const ns of namespaces) {
          for (const [apiVersion, kind] of WORKLOAD_KINDS) {
            const items = await list(apiVersion, kind, ns);
            found.push(
              ...items.map(i => ({ apiVersion, kind, metadata: i.metadata })),
            );
          }
        }
        return found;
      };
      try {
        for (const item of await everything()) {
          await admin.delete(item as KubernetesObject).catch(() => undefined);
        }
        await eventually(async () =>
          (await everything()).length === 0 ? true : undefined,
        );
      } finally {
        await proxy.close();
        await env.release();
      }
    },
  };
}

/** The clusters to run the suite on, for `describe.each`. */
export const deployTargets = () =>
  clusterSuites<DeployTarget>({ sandbox: sandboxTarget, real: realTarget });
