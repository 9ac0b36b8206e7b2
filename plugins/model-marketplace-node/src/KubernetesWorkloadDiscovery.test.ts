/*
 * Discovery against the Kubernetes sandbox (fast, always runs): the demo's
 * cluster, which serves InferenceServices but not LLMInferenceService (its
 * kind is then simply absent). The real control plane with both CRDs and
 * RBAC is KServeKinds.kubernetes.test.ts.
 */
import {
  KubernetesSandbox,
  startKubernetesSandbox,
} from '@aic/kubernetes-sandbox';
import { ClusterRegistry } from './ClusterRegistry';
import { KubernetesApiClient } from './KubernetesApiClient';
import { KubernetesWorkloadDiscovery } from './KubernetesWorkloadDiscovery';
import { renderModelManifests } from './renderModelManifests';
import { capturingLogger } from './testUtils';
import { testModels } from './__testUtils__/models';

const READER = 'reader-token-0123456789-secret';
const WRITER = 'writer-token-0123456789-secret';

// Generous: the machine running the suite may be busy; no test waits on time.
jest.setTimeout(60_000);

describe('KubernetesWorkloadDiscovery against the sandbox', () => {
  let sandbox: KubernetesSandbox;

  beforeAll(async () => {
    sandbox = await startKubernetesSandbox({
      tokens: { [READER]: '*', [WRITER]: ['ml-serving', 'team-search'] },
      namespaces: ['ml-serving', 'team-search'],
      rolloutDelayMs: 50,
    });
  });

  afterAll(async () => {
    await sandbox?.close();
  });

  function cluster(name: string, token: string) {
    return {
      name,
      url: sandbox.url,
      authProvider: 'serviceAccount',
      serviceAccountToken: token,
      caData: sandbox.caData,
      skipTLSVerify: false,
    };
  }

  it('lists only what the marketplace did not create, with readiness, and writes nothing', async () => {
    const writer = new KubernetesApiClient(
      new ClusterRegistry([cluster('w', WRITER)]).makeKubeConfig('w'),
    );
    // a model server some other tool created
    await writer.apply({
      apiVersion: 'serving.kserve.io/v1beta1',
      kind: 'InferenceService',
      metadata: {
        name: 'bge-legacy',
        namespace: 'ml-serving',
        labels: { 'app.kubernetes.io/managed-by': 'helm' },
      },
      spec: {
        predictor: {
          model: {
            modelFormat: { name: 'huggingface' },
            storageUri: 'gs://acme/bge/1.5.0',
          },
        },
      },
    });
    // one the marketplace created
    const ours = renderModelManifests({
      model: testModels.kserve,
      team: 'team-search',
      namespace: 'team-search',
    });
    await writer.apply(ours.objects[0]);

    const discovery = new KubernetesWorkloadDiscovery({
      clusters: new ClusterRegistry([cluster('demo', READER)]),
      logger: capturingLogger(),
    });
    const writes = sandbox.writeCount();
    sandbox.clearRequestLog();
    let result = await discovery.discover();
    while (result.workloads[0]?.readiness.state !== 'ready') {
      await new Promise(r => setTimeout(r, 50));
      result = await discovery.discover();
    }
    expect(result.errors).toEqual([]);
    expect(result.workloads).toHaveLength(1);
    expect(result.workloads[0]).toMatchObject({
      cluster: 'demo',
      ref: {
        apiVersion: 'serving.kserve.io/v1beta1',
        kind: 'InferenceService',
        namespace: 'ml-serving',
        name: 'bge-legacy',
      },
      labels: { 'app.kubernetes.io/managed-by': 'helm' },
      storageUris: ['gs://acme/bge/1.5.0'],
      readiness: { state: 'ready' },
    });
    expect(sandbox.writeCount()).toBe(writes);
    expect(
      sandbox.requestLog.filter(e => e.method !== 'GET').map(e => e.method),
    ).toEqual([]);
  });

  it('reports a cluster it cannot read and still answers for the others', async () => {
    const discovery = new KubernetesWorkloadDiscovery({
      clusters: new ClusterRegistry([
        cluster('demo', READER),
        // may read only its namespaces: a cluster-wide list is forbidden
        cluster('narrow', WRITER),
      ]),
      logger: capturingLogger(),
      retry: { maxAttempts: 1 },
    });
    const result = await discovery.discover();
    expect(result.workloads.map(w => `${w.cluster}/${w.ref.name}`)).toEqual([
      'demo/bge-legacy',
    ]);
    expect(result.errors).toEqual([
      { cluster: 'narrow', message: expect.stringMatching(/forbidden|403/i) },
    ]);
    expect(result.errors[0].message).not.toContain(WRITER);
  });
});
