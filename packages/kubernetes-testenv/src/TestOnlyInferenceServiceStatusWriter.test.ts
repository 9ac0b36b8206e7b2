import {
  KubernetesSandbox,
  startKubernetesSandbox,
} from '@aic/kubernetes-sandbox';
import { ApiClient } from './ApiClient';
import { TestOnlyInferenceServiceStatusWriter } from './TestOnlyInferenceServiceStatusWriter';

/*
 * The test-only KServe stand-in against the Kubernetes sandbox, which
 * serves InferenceService but not LLMInferenceService (a kind whose CRD is
 * missing is skipped): the predictor Deployment it applies for an
 * InferenceService, and its loop's error reporting. What it writes into
 * the status is checked with real controllers in
 * startKubernetesTestEnv.test.ts (the sandbox writes an InferenceService's
 * status itself, so here the two would race).
 */

jest.setTimeout(60_000);

const TOKEN = 'status-writer-test-token-0123456789';

describe('TestOnlyInferenceServiceStatusWriter on the sandbox', () => {
  let sandbox: KubernetesSandbox;
  let client: ApiClient;

  beforeAll(async () => {
    sandbox = await startKubernetesSandbox({
      tokens: { [TOKEN]: '*' },
      namespaces: ['team-a'],
      rolloutDelayMs: 20,
    });
    client = new ApiClient({
      url: sandbox.url,
      caPem: sandbox.caPem,
      token: TOKEN,
    });
  });

  afterAll(async () => {
    client?.close();
    await sandbox?.close();
  });

  it('applies the predictor Deployment KServe would run, owned by the InferenceService', async () => {
    const isvc = await client.request(
      'POST',
      '/apis/serving.kserve.io/v1beta1/namespaces/team-a/inferenceservices',
      {
        apiVersion: 'serving.kserve.io/v1beta1',
        kind: 'InferenceService',
        metadata: {
          name: 'reranker',
          namespace: 'team-a',
          labels: { 'aic.dev/model': 'reranker' },
        },
        spec: {
          predictor: {
            minReplicas: 2,
            labels: { team: 'a' },
            model: {
              modelFormat: { name: 'huggingface' },
              storageUri: 'hf://org/reranker',
              args: ['--max-length=512'],
              resources: { limits: { cpu: '1' } },
            },
          },
        },
      },
    );
    const writer = new TestOnlyInferenceServiceStatusWriter(client);
    await writer.syncAll();
    const deployment = sandbox.getObject(
      'apps/v1',
      'Deployment',
      'team-a',
      'reranker-predictor',
    );
    expect(deployment).toBeDefined();
    expect(deployment.metadata.ownerReferences).toEqual([
      expect.objectContaining({
        kind: 'InferenceService',
        name: 'reranker',
        uid: isvc.metadata.uid,
        controller: true,
      }),
    ]);
    expect(deployment.metadata.labels).toMatchObject({
      'aic.dev/model': 'reranker',
      team: 'a',
      'serving.kserve.io/inferenceservice': 'reranker',
      component: 'predictor',
    });
    expect(deployment.spec.replicas).toBe(2);
    expect(deployment.spec.template.spec.containers).toEqual([
      {
        name: 'kserve-container',
        image: 'kserve/huggingface-server',
        args: ['--max-length=512'],
        env: [{ name: 'STORAGE_URI', value: 'hf://org/reranker' }],
        resources: { limits: { cpu: '1' } },
      },
    ]);
  });

  it('applies a one-replica predictor with KServe defaults for an InferenceService whose predictor names nothing', async () => {
    const isvc = await client.request(
      'POST',
      '/apis/serving.kserve.io/v1beta1/namespaces/team-a/inferenceservices',
      {
        apiVersion: 'serving.kserve.io/v1beta1',
        kind: 'InferenceService',
        metadata: { name: 'bare', namespace: 'team-a' },
        spec: { predictor: {} },
      },
    );
    await new TestOnlyInferenceServiceStatusWriter(client).syncAll();
    const deployment = sandbox.getObject(
      'apps/v1',
      'Deployment',
      'team-a',
      'bare-predictor',
    );
    expect(deployment.metadata.ownerReferences).toEqual([
      expect.objectContaining({ name: 'bare', uid: isvc.metadata.uid }),
    ]);
    expect(deployment.metadata.labels).toEqual({
      'serving.kserve.io/inferenceservice': 'bare',
      component: 'predictor',
    });
    expect(deployment.spec.replicas).toBe(1);
    expect(deployment.spec.template.spec.containers).toEqual([
      { name: 'kserve-container', image: 'kserve/model-server', env: [] },
    ]);
  });

  it('reports a failing pass to onError and keeps going until stopped', async () => {
    const unreachable = new ApiClient({
      url: 'https://127.0.0.1:1',
      caPem: sandbox.caPem,
    });
    const errors: Error[] = [];
    const writer = new TestOnlyInferenceServiceStatusWriter(unreachable, {
      intervalMs: 10,
      onError: e => errors.push(e),
    });
    try {
      writer.start();
      while (errors.length < 2) await new Promise(r => setTimeout(r, 10));
      await writer.stop();
      const count = errors.length;
      expect(errors[0].message).toMatch(/ECONNREFUSED/);
      await new Promise(r => setTimeout(r, 100));
      // stopped: no pass runs any more
      expect(errors.length).toBe(count);
    } finally {
      unreachable.close();
    }
  });
});
