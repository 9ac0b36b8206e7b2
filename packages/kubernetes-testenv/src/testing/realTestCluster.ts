import fs from 'node:fs';
import { randomBytes } from 'node:crypto';
import YAML from 'yaml';
import { ApiClient, ApiError } from '../ApiClient';
import { startFaultProxy } from '../startFaultProxy';
import {
  SharedTestEnv,
  connectSharedTestEnv,
  testEnvAvailable,
} from './sharedTestEnv';
import { startTestCluster } from '@aic/kubernetes-sandbox';

/** A namespaced object reference. @public */
export type RealTestClusterObjectRef = {
  apiVersion: string;
  kind: string;
  namespace: string;
  name: string;
};

/**
 * A real control plane as a test's cluster: `url` is a fault proxy in front
 * of kube-apiserver (it counts writes and injects failing deletes), `token`
 * belongs to a ServiceAccount bound only in this run's namespaces, and
 * readiness is steered with real mechanisms:
 *
 * - `never-ready`: a ResourceQuota `pods: 0` in the namespace, so the
 *   ReplicaSet controller cannot create pods and the rollout never completes;
 * - `fail`: the same quota, and the Deployments of the namespace get
 *   `progressDeadlineSeconds: 2`, so kube-controller-manager itself sets
 *   `Progressing=False, reason ProgressDeadlineExceeded`.
 *
 * Readiness is per namespace (a quota cannot select pods by name): asking
 * for a workload's readiness steers its whole namespace, and asking two
 * different readinesses for workloads of one namespace throws.
 *
 * @public
 */
export interface RealTestCluster {
  url: string;
  caData: string;
  token: string;
  /** The namespaces of this run (unique names), in the order asked. */
  namespaces: string[];
  get(ref: RealTestClusterObjectRef): Promise<any | undefined>;
  listManaged(managedBy: string): Promise<RealTestClusterObjectRef[]>;
  writeCount(): number;
  setReadiness(
    readiness: 'ready' | 'never-ready' | 'fail',
    workload?: { namespace: string; name: string },
  ): Promise<void>;
  failDeletes(name: string, count: number): void;
  close(): Promise<void>;
}

const MANAGER = 'aic-real-test-cluster';
const QUOTA = 'aic-test-readiness';
const SA_NAMESPACE = 'aic-teams';
const FAIL_DEADLINE_SECONDS = 2;
/** Kinds listManaged looks at (what the deploy renders, and what it might leave). */
const MANAGED_KINDS: Array<[string, string]> = [
  ['apps/v1', 'Deployment'],
  ['v1', 'Service'],
  ['v1', 'ConfigMap'],
  ['v1', 'Secret'],
  ['v1', 'PersistentVolumeClaim'],
  ['serving.kserve.io/v1beta1', 'InferenceService'],
  ['serving.kserve.io/v1alpha1', 'LLMInferenceService'],
];

function plural(kind: string) {
  return `${kind.toLowerCase()}${kind.endsWith('s') ? 'es' : 's'}`;
}

function collection(apiVersion: string, kind: string, namespace: string) {
  const base = apiVersion.includes('/')
    ? `/apis/${apiVersion}`
    : `/api/${apiVersion}`;
  return `${base}/namespaces/${namespace}/${plural(kind)}`;
}

function adminClient(env: SharedTestEnv): ApiClient {
  const config = YAML.parse(fs.readFileSync(env.adminKubeconfig, 'utf8'));
  const user = config.users?.[0]?.user ?? {};
  if (!user['client-certificate-data'] || !user['client-key-data']) {
    throw new Error(
      `${env.adminKubeconfig} has no client certificate for the admin user`,
    );
  }
  return new ApiClient({
    url: env.url,
    caPem: env.caPem,
    clientCertPem: Buffer.from(
      user['client-certificate-data'],
      'base64',
    ).toString('utf8'),
    clientKeyPem: Buffer.from(user['client-key-data'], 'base64').toString(
      'utf8',
    ),
  });
}

/**
 * Prepares a real control plane for one test run: creates the namespaces
 * `<prefix>-<name>` with a random run suffix, a ServiceAccount bound to the
 * `model-marketplace-deployer` ClusterRole in them only, and a fault proxy.
 * `close()` deletes the namespaces and the ServiceAccount.
 *
 * @public
 */
export async function startRealTestCluster(
  env: SharedTestEnv,
  options: { namespaces: string[] },
): Promise<RealTestCluster> {
  const run = randomBytes(3).toString('hex');
  const admin = adminClient(env);
  const namespaces = options.namespaces.map(n => `${n}-${run}`);
  const sa = `test-run-${run}`;
  const proxy = await startFaultProxy({
    target: env.url,
    caPem: env.caPem,
    certPem: env.servingCertPem,
    keyPem: env.servingKeyPem,
  });
  const readiness = new Map<string, 'ready' | 'never-ready' | 'fail'>();
  const steeredBy = new Map<string, string>();
  let closed = false;
  let steering: Promise<void> = Promise.resolve();

  const cleanup = async () => {
    for (const ns of namespaces) {
      await admin.request('DELETE', `/api/v1/namespaces/${ns}`).catch(e => {
        if (!(e instanceof ApiError && e.status === 404)) throw e;
      });
    }
    await admin
      .request(
        'DELETE',
        `/api/v1/namespaces/${SA_NAMESPACE}/serviceaccounts/${sa}`,
      )
      .catch(e => {
        if (!(e instanceof ApiError && e.status === 404)) throw e;
      });
  };

  try {
    for (const ns of namespaces) {
      await admin.apply(
        { apiVersion: 'v1', kind: 'Namespace', metadata: { name: ns } },
        MANAGER,
      );
    }
    await admin.apply(
      { apiVersion: 'v1', kind: 'Namespace', metadata: { name: SA_NAMESPACE } },
      MANAGER,
    );
    await admin.apply(
      {
        apiVersion: 'v1',
        kind: 'ServiceAccount',
        metadata: { name: sa, namespace: SA_NAMESPACE },
      },
      MANAGER,
    );
    for (const ns of namespaces) {
      await admin.apply(
        {
          apiVersion: 'rbac.authorization.k8s.io/v1',
          kind: 'RoleBinding',
          metadata: { name: `${sa}-model-marketplace-deployer`, namespace: ns },
          roleRef: {
            apiGroup: 'rbac.authorization.k8s.io',
            kind: 'ClusterRole',
            name: 'model-marketplace-deployer',
          },
          subjects: [
            { kind: 'ServiceAccount', name: sa, namespace: SA_NAMESPACE },
          ],
        },
        MANAGER,
      );
    }
  } catch (e) {
    await cleanup().catch(() => {});
    await proxy.close();
    admin.close();
    throw e;
  }
  const tokenAnswer = await admin.request(
    'POST',
    `/api/v1/namespaces/${SA_NAMESPACE}/serviceaccounts/${sa}/token`,
    {
      apiVersion: 'authentication.k8s.io/v1',
      kind: 'TokenRequest',
      spec: { expirationSeconds: 3600 },
    },
  );

  /** Puts the Deployments of `fail` namespaces on a short progress deadline. */
  const steer = async () => {
    for (const [ns, r] of readiness) {
      if (r !== 'fail') continue;
      const list = await admin.request(
        'GET',
        collection('apps/v1', 'Deployment', ns),
      );
      for (const d of list.items ?? []) {
        if (d.spec?.progressDeadlineSeconds === FAIL_DEADLINE_SECONDS) continue;
        await admin
          .request(
            'PATCH',
            `${collection('apps/v1', 'Deployment', ns)}/${d.metadata.name}`,
            { spec: { progressDeadlineSeconds: FAIL_DEADLINE_SECONDS } },
            'application/merge-patch+json',
          )
          .catch(e => {
            if (!(e instanceof ApiError && e.status === 404)) throw e;
          });
      }
    }
  };
  const loop = async () => {
    while (!closed) {
      await steer().catch(() => {});
      await new Promise(r => setTimeout(r, 200));
    }
  };
  steering = loop();

  const setQuota = async (ns: string, blocked: boolean) => {
    const path = `/api/v1/namespaces/${ns}/resourcequotas`;
    if (blocked) {
      await admin.apply(
        {
          apiVersion: 'v1',
          kind: 'ResourceQuota',
          metadata: { name: QUOTA, namespace: ns },
          spec: { hard: { pods: '0' } },
        },
        MANAGER,
      );
    } else {
      await admin.request('DELETE', `${path}/${QUOTA}`).catch(e => {
        if (!(e instanceof ApiError && e.status === 404)) throw e;
      });
    }
  };

  return {
    url: proxy.url,
    caData: proxy.caData,
    token: tokenAnswer.status.token,
    namespaces,
    async get(ref) {
      try {
        return await admin.request(
          'GET',
          `${collection(ref.apiVersion, ref.kind, ref.namespace)}/${ref.name}`,
        );
      } catch (e) {
        if (e instanceof ApiError && e.status === 404) return undefined;
        throw e;
      }
    },
    async listManaged(managedBy) {
      const found: RealTestClusterObjectRef[] = [];
      const selector = encodeURIComponent(
        `app.kubernetes.io/managed-by=${managedBy}`,
      );
      for (const ns of namespaces) {
        for (const [apiVersion, kind] of MANAGED_KINDS) {
          const list = await admin.request(
            'GET',
            `${collection(apiVersion, kind, ns)}?labelSelector=${selector}`,
          );
          for (const o of list.items ?? []) {
            // children (e.g. the predictor Deployment of an InferenceService)
            // are their owner's: the garbage collector removes them with it
            if (o.metadata.ownerReferences?.length) continue;
            found.push({
              apiVersion,
              kind,
              namespace: ns,
              name: o.metadata.name,
            });
          }
        }
      }
      return found;
    },
    writeCount: () => proxy.writeCount(),
    async setReadiness(r, workload) {
      const targets = workload ? [workload.namespace] : namespaces;
      for (const ns of targets) {
        if (!namespaces.includes(ns)) {
          throw new Error(`${ns} is not a namespace of this test run`);
        }
        const previous = steeredBy.get(ns);
        if (
          workload &&
          previous &&
          previous !== workload.name &&
          readiness.get(ns) !== r
        ) {
          throw new Error(
            `readiness on the real control plane is per namespace: ${ns} is already '${readiness.get(
              ns,
            )}' for ${previous}, cannot make ${workload.name} '${r}'`,
          );
        }
        if (workload) steeredBy.set(ns, workload.name);
        readiness.set(ns, r);
        await setQuota(ns, r !== 'ready');
      }
      await steer();
    },
    failDeletes: (name, count) =>
      proxy.injectFaults({
        kind: '500',
        count,
        match: { method: 'DELETE', pathIncludes: name },
      }),
    async close() {
      closed = true;
      await steering;
      await proxy.close();
      try {
        await cleanup();
      } finally {
        admin.close();
      }
    },
  };
}

/**
 * A test's cluster wherever it can run: on the real control plane when one
 * is available (AIC_TESTENV_INFO, CI, or built binaries: see
 * `testEnvAvailable`), else on the Kubernetes sandbox. `ns(name)` is the
 * namespace of this run for a namespace name the test uses (unique on the
 * real control plane, the name itself on the sandbox); `real` says which.
 *
 * @public
 */
export async function startTestClusterForTests(options: {
  namespaces: string[];
  /** The sandbox's token (the real control plane issues its own). */
  token: string;
  rolloutDelayMs?: number;
}): Promise<RealTestCluster & { real: boolean; ns(name: string): string }> {
  if (testEnvAvailable()) {
    const env = await connectSharedTestEnv();
    let cluster: RealTestCluster;
    try {
      cluster = await startRealTestCluster(env, {
        namespaces: options.namespaces,
      });
    } catch (e) {
      await env.release();
      throw e;
    }
    return {
      ...cluster,
      real: true,
      ns: name => {
        const i = options.namespaces.indexOf(name);
        if (i < 0) throw new Error(`${name} is not a namespace of this test`);
        return cluster.namespaces[i];
      },
      close: async () => {
        try {
          await cluster.close();
        } finally {
          await env.release();
        }
      },
    };
  }
  const sandbox = await startTestCluster(options);
  return {
    url: sandbox.url,
    caData: sandbox.caData,
    token: sandbox.token,
    namespaces: options.namespaces,
    real: false,
    ns: name => name,
    get: async ref => sandbox.get(ref),
    listManaged: async managedBy => sandbox.listManaged(managedBy),
    writeCount: () => sandbox.writeCount(),
    setReadiness: async (r, w) => sandbox.setReadiness(r, w),
    failDeletes: (n, c) => sandbox.failDeletes(n, c),
    close: () => sandbox.close(),
  };
}
