/*
 * The clusters the action suites run on, behind one shape: the Kubernetes
 * sandbox always; a real control plane (@aic/kubernetes-testenv) when
 * `testEnvAvailable()` says so, and then it fails, never skips, when the
 * control plane cannot be reached. On the real one the actions use the
 * Backstage service account of examples/kubernetes/backstage-rbac.yaml (real
 * RBAC, real KServe CRD schema, real controllers and kwok pods), through a
 * fault-injecting proxy that logs their requests; the tests read the
 * cluster as admin straight from the apiserver.
 */
import {
  SandboxRequestLogEntry,
  startKubernetesSandbox,
} from '@aic/kubernetes-sandbox';
import {
  connectSharedTestEnv,
  startFaultProxy,
  clusterSuites,
} from '@aic/kubernetes-testenv';
import {
  KubeConfig,
  KubernetesObject,
  KubernetesObjectApi,
} from '@kubernetes/client-node';
import { teamNamespaces } from './fixtures';

/** A cluster an action suite runs on; the actions know it as `sandbox`. */
export interface ActionTarget {
  real: boolean;
  url: string;
  caData: string;
  token: string;
  /** ModelDeployer timing: fast on the sandbox, generous on real controllers. */
  pollIntervalMs: number;
  baseDelayMs: number;
  requestLog: SandboxRequestLogEntry[];
  /** Before each test: workloads become ready, the request log is empty. */
  reset(): void;
  writeCount(): number;
  live(
    apiVersion: string,
    kind: string,
    namespace: string,
    name: string,
  ): Promise<any | undefined>;
  /** Objects (with `kind`) in a namespace matching a label selector. */
  objects(namespace: string, selector: string): Promise<any[]>;
  /**
   * Until `allow()`, no workload of the namespace becomes ready: the
   * sandbox is told so; on the real control plane a ResourceQuota allows no
   * pods (a real reason for pods never to come).
   */
  blockPods(namespace: string): Promise<{ allow(): Promise<void> }>;
  close(): Promise<void>;
}

const SANDBOX_TOKEN = 'scaffolder-test-token-0123456789-secret';
const KINDS = [
  ['apps/v1', 'Deployment'],
  ['v1', 'Service'],
  ['serving.kserve.io/v1beta1', 'InferenceService'],
  ['apps/v1', 'ReplicaSet'],
  ['v1', 'Pod'],
] as const;

function matches(labels: Record<string, string> | undefined, selector: string) {
  const [key, value] = selector.split('=');
  return value === undefined
    ? labels?.[key] !== undefined
    : labels?.[key] === value;
}

async function sandboxTarget(): Promise<ActionTarget> {
  const sandbox = await startKubernetesSandbox({
    tokens: { [SANDBOX_TOKEN]: teamNamespaces() },
    namespaces: teamNamespaces(),
    rolloutDelayMs: 30,
  });
  return {
    real: false,
    url: sandbox.url,
    caData: sandbox.caData,
    token: SANDBOX_TOKEN,
    pollIntervalMs: 20,
    baseDelayMs: 10,
    requestLog: sandbox.requestLog,
    reset: () => {
      sandbox.setDefaultBehavior('ready');
      sandbox.clearRequestLog();
    },
    writeCount: () => sandbox.writeCount(),
    live: async (apiVersion, kind, namespace, name) =>
      sandbox.getObject(apiVersion, kind, namespace, name),
    objects: async (namespace, selector) =>
      sandbox
        .listObjects()
        .filter(
          o =>
            o?.metadata?.namespace === namespace &&
            matches(o.metadata.labels, selector),
        ),
    blockPods: async () => {
      sandbox.setDefaultBehavior('never-ready');
      return { allow: async () => sandbox.setDefaultBehavior('ready') };
    },
    close: () => sandbox.close(),
  };
}

async function realTarget(): Promise<ActionTarget> {
  const env = await connectSharedTestEnv();
  const proxy = await startFaultProxy({
    target: env.url,
    caPem: env.caPem,
    certPem: env.servingCertPem,
    keyPem: env.servingKeyPem,
  }).catch(async e => {
    await env.release();
    throw e;
  });
  const kc = new KubeConfig();
  kc.loadFromFile(env.adminKubeconfig);
  const admin = KubernetesObjectApi.makeApiClient(kc);
  const objects = async (namespace: string, selector: string) => {
    const found: any[] = [];
    for (const [apiVersion, kind] of KINDS) {
      const list = await admin.list(
        apiVersion,
        kind,
        namespace,
        undefined,
        undefined,
        undefined,
        undefined,
        selector,
      );
      // list items carry no kind of their own
      found.push(...list.items.map(item => ({ ...item, apiVersion, kind })));
    }
    return found;
  };
  const live: ActionTarget['live'] = async (
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
  /** Deletes what the tests deployed and waits until the cluster is clean. */
  const cleanUp = async () => {
    for (const ns of teamNamespaces()) {
      for (const o of await objects(
        ns,
        'app.kubernetes.io/managed-by=model-marketplace',
      )) {
        if (KINDS.slice(0, 3).some(([, kind]) => kind === o.kind)) {
          await admin
            .delete({
              apiVersion: o.apiVersion,
              kind: o.kind,
              metadata: o.metadata,
            } as KubernetesObject)
            .catch(() => {});
        }
      }
    }
    for (const ns of teamNamespaces()) {
      while ((await objects(ns, 'aic.dev/model')).length > 0) {
        await new Promise(r => setTimeout(r, 250));
      }
    }
  };
  await cleanUp();
  return {
    real: true,
    url: proxy.url,
    caData: proxy.caData,
    // the Backstage service account, with the RBAC of examples/kubernetes
    token: env.backstageToken,
    pollIntervalMs: 250,
    baseDelayMs: 50,
    requestLog: proxy.requestLog,
    reset: () => proxy.clearRequestLog(),
    writeCount: () => proxy.writeCount(),
    live,
    objects,
    blockPods: async namespace => {
      const quota = {
        apiVersion: 'v1',
        kind: 'ResourceQuota',
        metadata: { name: 'no-pods', namespace },
        spec: { hard: { pods: '0' } },
      };
      await admin.create(quota as KubernetesObject);
      // the quota controller must have counted usage before it blocks pods
      for (;;) {
        const q = await live('v1', 'ResourceQuota', namespace, 'no-pods');
        if (q?.status?.hard?.pods === '0') break;
        await new Promise(r => setTimeout(r, 250));
      }
      return {
        allow: async () => {
          await admin.delete(quota as KubernetesObject);
        },
      };
    },
    close: async () => {
      try {
        await cleanUp();
      } finally {
        await proxy.close();
        await env.release();
      }
    },
  };
}

/** The clusters to run the suite on, for `describe.each`. */
export const actionTargets = () =>
  clusterSuites<ActionTarget>({ sandbox: sandboxTarget, real: realTarget });
