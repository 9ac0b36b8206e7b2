/*
 * KServe's newer kind and discovery against a real control plane
 * (@aic/kubernetes-testenv, KServe v0.16.0 CRDs with their structural
 * schemas): an LLMInferenceService rendered from a model is accepted by the
 * real CRD (and a wrong field is rejected by the server's dry-run), is
 * applied, becomes Ready through the real Deployment controller and kwok,
 * and is rolled back on failure; discovery lists what the marketplace did
 * not create, with a service account that may only get/list/watch these
 * kinds, and sends no write.
 */
import {
  FaultProxy,
  SharedTestEnv,
  connectSharedTestEnv,
  startFaultProxy,
  testEnvAvailable,
} from '@aic/kubernetes-testenv';
import { KubeConfig, KubernetesObjectApi } from '@kubernetes/client-node';
import { randomBytes } from 'node:crypto';
import { ClusterRegistry } from './ClusterRegistry';
import { KubernetesWorkloadDiscovery } from './KubernetesWorkloadDiscovery';
import { ModelDeployer } from './ModelDeployer';
import { renderModelManifests } from './renderModelManifests';
import { capturingLogger } from './testUtils';
import { testModels } from './__testUtils__/models';

jest.setTimeout(240_000);

const describeReal = testEnvAvailable() ? describe : describe.skip;
const NAMESPACE = 'team-c';
const run = randomBytes(3).toString('hex');

describeReal('KServe kinds on a real Kubernetes control plane', () => {
  let env: SharedTestEnv;
  let proxy: FaultProxy;
  let admin: KubernetesObjectApi;
  let clusters: ClusterRegistry;
  const created: Array<{ apiVersion: string; kind: string; name: string }> = [];

  beforeAll(async () => {
    env = await connectSharedTestEnv();
    proxy = await startFaultProxy({
      target: env.url,
      caPem: env.caPem,
      certPem: env.servingCertPem,
      keyPem: env.servingKeyPem,
    });
    const adminConfig = new KubeConfig();
    adminConfig.loadFromFile(env.adminKubeconfig);
    admin = KubernetesObjectApi.makeApiClient(adminConfig);
    const cluster = (name: string, token: string) => ({
      name,
      url: proxy.url,
      authProvider: 'serviceAccount',
      serviceAccountToken: token,
      caData: proxy.caData,
      skipTLSVerify: false,
    });
    clusters = new ClusterRegistry([
      cluster('real', env.tokens.deployer),
      // Backstage's own service account: get/list/watch only on KServe kinds
      cluster('reader', env.backstageToken),
    ]);
  });

  afterAll(async () => {
    for (const o of created) {
      await admin
        .delete({ ...o, metadata: { name: o.name, namespace: NAMESPACE } })
        .catch(() => undefined);
    }
    await proxy?.close();
    await env?.release();
  });

  function deployer() {
    return new ModelDeployer({
      clusters,
      logger: capturingLogger(),
      pollIntervalMs: 250,
      retry: { baseDelayMs: 50, maxDelayMs: 500 },
    });
  }

  function rendered(version = '1.0.0') {
    const model = structuredClone(testModels.kserveLlm);
    model.metadata.name = `llm-${run}`;
    model.spec.serving!.replicas = { min: 1, max: 2 };
    // no GPU on most fake nodes: keep it schedulable
    model.spec.serving!.resources = { cpu: '1', memory: '1Gi' };
    model.spec.versions[0].version = version;
    return renderModelManifests({
      model,
      team: 'team-c',
      namespace: NAMESPACE,
    });
  }

  it('dry-runs, applies and waits for Ready=True of an LLMInferenceService', async () => {
    const r = rendered();
    created.push({ ...r.workload, name: r.name });
    const result = await deployer().deploy({
      cluster: 'real',
      objects: r.objects,
      workload: r.workload,
      timeoutMs: 180_000,
    });
    expect(result.readiness).toMatchObject({ state: 'ready' });
    expect(result.endpoint).toBe(
      `http://${r.name}.${NAMESPACE}.svc.cluster.local`,
    );
    const live: any = await admin.read({
      apiVersion: 'serving.kserve.io/v1alpha1',
      kind: 'LLMInferenceService',
      metadata: { name: r.name, namespace: NAMESPACE },
    });
    expect(live.spec.model).toEqual({
      uri: 'hf://meta-llama/Llama-3.1-8B-Instruct',
      name: `llm-${run}`,
    });
    expect(live.metadata.labels['app.kubernetes.io/managed-by']).toBe(
      'model-marketplace',
    );
    expect(live.metadata.managedFields.map((f: any) => f.manager)).toContain(
      'model-marketplace',
    );
  });

  it('is refused by the real CRD schema when a field is wrong, before anything is written', async () => {
    const r = rendered('2.0.0');
    proxy.clearRequestLog();
    const bad = structuredClone(r.objects[0]);
    bad.spec.replicas = -1; // the CRD says minimum: 0
    await expect(
      deployer().deploy({ cluster: 'real', objects: [bad], noWait: true }),
    ).rejects.toThrow(/spec\.replicas/);
    const unknown = structuredClone(r.objects[0]);
    unknown.spec.template.metadata = { labels: { a: 'b' } }; // a PodSpec has none
    await expect(
      deployer().deploy({ cluster: 'real', objects: [unknown], noWait: true }),
    ).rejects.toThrow(/template\.metadata|field not declared/);
    // the dry-runs are PATCHes with dryRun=All; nothing was persisted
    const persisted = proxy.requestLog.filter(
      e =>
        !['GET', 'HEAD'].includes(e.method) && !e.query.includes('dryRun=All'),
    );
    expect(persisted).toEqual([]);
    expect(proxy.requestLog.some(e => e.query.includes('dryRun=All'))).toBe(
      true,
    );
    const live = await admin
      .read({
        apiVersion: 'serving.kserve.io/v1alpha1',
        kind: 'LLMInferenceService',
        metadata: { name: r.name, namespace: NAMESPACE },
      })
      .catch((e: any) => (e.code === 404 ? undefined : Promise.reject(e)));
    expect(live).toBeUndefined();
  });

  it('times out when it never becomes Ready and rolls back what it created', async () => {
    const r = rendered('3.0.0');
    const llm = structuredClone(r.objects[0]);
    // more GPUs than any fake node: the workload never becomes available
    llm.spec.template.containers[0].resources = {
      requests: { 'nvidia.com/gpu': '99' },
      limits: { 'nvidia.com/gpu': '99' },
    };
    const d = deployer();
    await expect(
      d.deploy({
        cluster: 'real',
        objects: [llm],
        workload: r.workload,
        timeoutMs: 3_000,
      }),
    ).rejects.toThrow(
      new RegExp(
        `LLMInferenceService ${NAMESPACE}/${r.name} was not ready after 3s`,
      ),
    );
    const gone = await admin
      .read({
        apiVersion: 'serving.kserve.io/v1alpha1',
        kind: 'LLMInferenceService',
        metadata: { name: r.name, namespace: NAMESPACE },
      })
      .then(
        () => false,
        (e: any) => e.code === 404,
      );
    expect(gone).toBe(true);
  });

  it('discovers unmanaged InferenceServices and LLMInferenceServices read-only', async () => {
    const foreignIsvc = {
      apiVersion: 'serving.kserve.io/v1beta1',
      kind: 'InferenceService',
      metadata: {
        name: `legacy-isvc-${run}`,
        namespace: NAMESPACE,
        labels: { 'app.kubernetes.io/managed-by': 'helm' },
      },
      spec: {
        predictor: {
          minReplicas: 1,
          model: {
            modelFormat: { name: 'huggingface' },
            storageUri: 'gs://acme/bge/1.5.0/',
            resources: { requests: { cpu: '1', memory: '1Gi' } },
          },
        },
      },
    };
    const foreignLlm = {
      apiVersion: 'serving.kserve.io/v1alpha1',
      kind: 'LLMInferenceService',
      metadata: { name: `legacy-llm-${run}`, namespace: NAMESPACE },
      spec: {
        model: { uri: 'hf://meta-llama/Llama-3.1-8B-Instruct' },
        replicas: 1,
        template: {
          containers: [{ name: 'main', resources: { requests: { cpu: '1' } } }],
        },
      },
    };
    for (const o of [foreignIsvc, foreignLlm]) {
      created.push({
        apiVersion: o.apiVersion,
        kind: o.kind,
        name: o.metadata.name,
      });
      await admin.create(o as any);
    }
    const ours = rendered();

    const discovery = new KubernetesWorkloadDiscovery({
      clusters: new ClusterRegistry([
        {
          name: 'reader',
          url: proxy.url,
          authProvider: 'serviceAccount',
          serviceAccountToken: env.backstageToken,
          caData: proxy.caData,
          skipTLSVerify: false,
        },
      ]),
      logger: capturingLogger(),
    });
    proxy.clearRequestLog();
    const writesBefore = proxy.writeCount();
    // wait until the stand-in KServe controller has made both Ready
    let result;
    for (;;) {
      result = await discovery.discover();
      const mine = result.workloads.filter(w => w.ref.name.includes(run));
      if (mine.length === 2 && mine.every(w => w.readiness.state === 'ready')) {
        break;
      }
      await new Promise(resolve => setTimeout(resolve, 500));
    }
    expect(result.errors).toEqual([]);
    const mine = result.workloads.filter(w => w.ref.name.includes(run));
    expect(mine.map(w => `${w.ref.kind}/${w.ref.name}`).sort()).toEqual([
      `InferenceService/legacy-isvc-${run}`,
      `LLMInferenceService/legacy-llm-${run}`,
    ]);
    // the one the marketplace deployed in the first test is not discovered
    expect(result.workloads.map(w => w.ref.name)).not.toContain(ours.name);
    const isvc = mine.find(w => w.ref.kind === 'InferenceService')!;
    expect(isvc).toMatchObject({
      cluster: 'reader',
      storageUris: ['gs://acme/bge/1.5.0/'],
      endpoint: `http://legacy-isvc-${run}.${NAMESPACE}.svc.cluster.local`,
    });
    expect(isvc.createdAt).toMatch(/^\d{4}-\d\d-\d\dT/);
    // read-only: only GETs went to the apiserver, and nothing was written
    expect(proxy.requestLog.length).toBeGreaterThan(0);
    expect(
      proxy.requestLog.filter(e => e.method !== 'GET').map(e => e.method),
    ).toEqual([]);
    expect(proxy.writeCount()).toBe(writesBefore);
  });

  it('holds only read verbs on the discovered kinds (RBAC of the Backstage service account)', async () => {
    const reader = new ModelDeployer({
      clusters,
      logger: capturingLogger(),
      retry: { maxAttempts: 1 },
    });
    const r = rendered('4.0.0');
    await expect(
      reader.deploy({ cluster: 'reader', objects: r.objects, noWait: true }),
    ).rejects.toThrow(/forbidden|not allowed|403/i);
  });
});
