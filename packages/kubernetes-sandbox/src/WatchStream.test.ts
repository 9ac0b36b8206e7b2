import * as k8s from '@kubernetes/client-node';
import { startKubernetesSandbox } from './startKubernetesSandbox';
import { KubernetesSandbox } from './types';
import {
  deployment,
  eventually,
  fetchRaw,
  kubeConfigFor,
} from './__testUtils__/clients';

describe('watch', () => {
  let sandbox: KubernetesSandbox;
  let kc: k8s.KubeConfig;

  beforeAll(async () => {
    sandbox = await startKubernetesSandbox({
      tokens: { t: ['ns'] },
      namespaces: ['ns'],
      rolloutDelayMs: 60,
    });
    kc = kubeConfigFor(sandbox, 't');
  });

  afterAll(async () => {
    await sandbox.close();
  });

  it('streams ADDED, MODIFIED and DELETED after a resourceVersion to the client Watch', async () => {
    const apps = kc.makeApiClient(k8s.AppsV1Api);
    const list = await apps.listNamespacedDeployment({ namespace: 'ns' });
    const events: string[] = [];
    let doneErr: unknown = 'not done';
    const controller = await new k8s.Watch(kc).watch(
      '/apis/apps/v1/namespaces/ns/deployments',
      {
        resourceVersion: list.metadata!.resourceVersion,
        labelSelector: 'app=watched',
      },
      (type, obj) => events.push(`${type} ${obj.metadata.name}`),
      err => {
        doneErr = err;
      },
    );
    await apps.createNamespacedDeployment({
      namespace: 'ns',
      body: deployment('other', 'ns'),
    });
    await apps.createNamespacedDeployment({
      namespace: 'ns',
      body: deployment('watched', 'ns'),
    });
    await eventually(async () => events.includes('MODIFIED watched'));
    await apps.deleteNamespacedDeployment({ namespace: 'ns', name: 'watched' });
    await eventually(async () => events.includes('DELETED watched'));
    expect(events[0]).toBe('ADDED watched');
    expect(events.some(e => e.endsWith('other'))).toBe(false);
    controller.abort();
    expect(doneErr).toBeDefined();
  });

  it('replays history from an older resourceVersion and ends at timeoutSeconds', async () => {
    const before = await fetchRaw(
      sandbox,
      '/api/v1/namespaces/ns/services',
      't',
    );
    const rv = before.body.metadata.resourceVersion;
    await kc.makeApiClient(k8s.CoreV1Api).createNamespacedService({
      namespace: 'ns',
      body: {
        metadata: { name: 'svc-w' },
        spec: { ports: [{ port: 80 }] },
      },
    });
    const started = Date.now();
    const res = await fetchRaw(
      sandbox,
      `/api/v1/namespaces/ns/services?watch=1&resourceVersion=${rv}&timeoutSeconds=1`,
      't',
    );
    expect(Date.now() - started).toBeGreaterThanOrEqual(900);
    const lines = res.text
      .trim()
      .split('\n')
      .map(l => JSON.parse(l));
    expect(lines).toEqual([
      { type: 'ADDED', object: expect.objectContaining({ kind: 'Service' }) },
    ]);
  });

  it('sends ADDED for existing objects when no resourceVersion is given', async () => {
    const res = await fetchRaw(
      sandbox,
      '/api/v1/namespaces/ns/services?watch=true&timeoutSeconds=1&fieldSelector=metadata.name%3Dsvc-w',
      't',
    );
    expect(JSON.parse(res.text.trim())).toMatchObject({
      type: 'ADDED',
      object: { metadata: { name: 'svc-w' } },
    });
  });

  it('answers a watch from an unknown old version with a 410 ERROR event', async () => {
    const res = await fetchRaw(
      sandbox,
      '/api/v1/namespaces/ns/services?watch=true&resourceVersion=1&timeoutSeconds=1',
      't',
    );
    expect(JSON.parse(res.text.trim())).toMatchObject({
      type: 'ERROR',
      object: { kind: 'Status', code: 410, reason: 'Expired' },
    });
  });
});
