import * as k8s from '@kubernetes/client-node';
import { startKubernetesSandbox } from './startKubernetesSandbox';
import { KubernetesSandbox } from './types';
import {
  deployment,
  eventually,
  inferenceService,
  kubeConfigFor,
  sleep,
} from './__testUtils__/clients';

// Long enough that the half-way state (observed, not yet available), which
// lasts DELAY / 2, is still there when a poll on a busy machine reads it.
const DELAY = 2000;

jest.setTimeout(60_000);

describe('simulated rollout', () => {
  let sandbox: KubernetesSandbox;
  let apps: k8s.AppsV1Api;
  let custom: k8s.CustomObjectsApi;

  beforeAll(async () => {
    sandbox = await startKubernetesSandbox({
      tokens: { t: '*' },
      namespaces: ['ns'],
      rolloutDelayMs: DELAY,
    });
    const kc = kubeConfigFor(sandbox, 't');
    apps = kc.makeApiClient(k8s.AppsV1Api);
    custom = kc.makeApiClient(k8s.CustomObjectsApi);
  });

  afterAll(async () => {
    await sandbox.close();
  });

  const read = (name: string) =>
    apps.readNamespacedDeployment({ namespace: 'ns', name });

  it('moves a Deployment from unobserved to progressing to available', async () => {
    const created = await apps.createNamespacedDeployment({
      namespace: 'ns',
      body: deployment('roll', 'ns', 3),
    });
    expect(created.status?.observedGeneration).toBeUndefined();

    const progressing = await eventually(async () => {
      const d = await read('roll');
      return d.status?.observedGeneration === 1 && d;
    });
    expect(progressing.status?.updatedReplicas).toBeGreaterThan(0);
    expect(progressing.status?.availableReplicas ?? 0).toBeLessThan(3);

    const ready = await eventually(async () => {
      const d = await read('roll');
      return d.status?.availableReplicas === 3 && d;
    });
    expect(ready.status).toMatchObject({
      observedGeneration: 1,
      replicas: 3,
      updatedReplicas: 3,
      readyReplicas: 3,
      availableReplicas: 3,
    });
    const conditions = Object.fromEntries(
      ready.status!.conditions!.map(c => [c.type, c]),
    );
    expect(conditions.Available.status).toBe('True');
    expect(conditions.Progressing).toMatchObject({
      status: 'True',
      reason: 'NewReplicaSetAvailable',
    });

    // a spec change makes observedGeneration lag again
    ready.spec!.replicas = 4;
    const scaled = await apps.replaceNamespacedDeployment({
      namespace: 'ns',
      name: 'roll',
      body: ready,
    });
    expect(scaled.metadata?.generation).toBe(2);
    expect(scaled.status?.observedGeneration).toBe(1);
    await eventually(async () => {
      const d = await read('roll');
      return (
        d.status?.observedGeneration === 2 && d.status.availableReplicas === 4
      );
    });
  });

  it('reports ProgressDeadlineExceeded when told to', async () => {
    sandbox.setWorkloadBehavior('ns', 'stuck', 'progress-deadline-exceeded');
    await apps.createNamespacedDeployment({
      namespace: 'ns',
      body: deployment('stuck', 'ns', 1),
    });
    const failed = await eventually(async () => {
      const d = await read('stuck');
      const p = d.status?.conditions?.find(c => c.type === 'Progressing');
      return p?.status === 'False' && d;
    });
    const progressing = failed.status!.conditions!.find(
      c => c.type === 'Progressing',
    );
    expect(progressing?.reason).toBe('ProgressDeadlineExceeded');
    expect(failed.status?.availableReplicas ?? 0).toBe(0);
  });

  it('never makes a never-ready workload available', async () => {
    sandbox.setDefaultBehavior('never-ready');
    try {
      await apps.createNamespacedDeployment({
        namespace: 'ns',
        body: deployment('never', 'ns', 2),
      });
      await sleep(DELAY * 2);
      const d = await read('never');
      expect(d.status?.observedGeneration).toBe(1);
      expect(d.status?.updatedReplicas).toBe(2);
      expect(d.status?.availableReplicas ?? 0).toBe(0);
      expect(
        d.status?.conditions?.find(c => c.type === 'Progressing')?.reason,
      ).toBe('ReplicaSetUpdated');
    } finally {
      sandbox.setDefaultBehavior('ready');
    }
  });

  const readIsvc = (name: string): Promise<any> =>
    custom.getNamespacedCustomObject({
      group: 'serving.kserve.io',
      version: 'v1beta1',
      namespace: 'ns',
      plural: 'inferenceservices',
      name,
    });
  const createIsvc = (name: string) =>
    custom.createNamespacedCustomObject({
      group: 'serving.kserve.io',
      version: 'v1beta1',
      namespace: 'ns',
      plural: 'inferenceservices',
      body: inferenceService(name, 'ns'),
    });
  const readyCondition = (obj: any) =>
    obj.status?.conditions?.find((c: any) => c.type === 'Ready');

  it('makes an InferenceService Ready with a URL', async () => {
    await createIsvc('llm');
    const ready = await eventually(async () => {
      const o = await readIsvc('llm');
      return readyCondition(o)?.status === 'True' && o;
    });
    expect(ready.status.url).toBe('http://llm.ns.example.com');
  });

  it('keeps a never-ready InferenceService Ready=False, and reports a deadline', async () => {
    sandbox.setWorkloadBehavior('ns', 'llm-never', 'never-ready');
    sandbox.setWorkloadBehavior('ns', 'llm-late', 'progress-deadline-exceeded');
    await createIsvc('llm-never');
    await createIsvc('llm-late');
    await sleep(DELAY * 2);
    expect(readyCondition(await readIsvc('llm-never'))?.status).toBe('False');
    expect(readyCondition(await readIsvc('llm-late'))).toMatchObject({
      status: 'False',
      reason: 'ProgressDeadlineExceeded',
    });
  });
});
