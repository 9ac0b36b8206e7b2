import * as k8s from '@kubernetes/client-node';
import { startKubernetesSandbox } from './startKubernetesSandbox';
import { KubernetesSandbox } from './types';
import {
  deployment,
  errorOf,
  fetchRaw,
  inferenceService,
  kubeConfigFor,
} from './__testUtils__/clients';

describe('startKubernetesSandbox through @kubernetes/client-node', () => {
  let sandbox: KubernetesSandbox;
  let admin: k8s.KubeConfig;
  let teamA: k8s.KubeConfig;

  beforeAll(async () => {
    sandbox = await startKubernetesSandbox({
      tokens: { 'admin-token': '*', 'team-a-token': ['team-a'] },
      namespaces: ['team-a', 'team-b'],
      rolloutDelayMs: 100,
    });
    admin = kubeConfigFor(sandbox, 'admin-token');
    teamA = kubeConfigFor(sandbox, 'team-a-token');
  });

  afterAll(async () => {
    await sandbox.close();
  });

  it('serves HTTPS that the client trusts with caData alone', async () => {
    expect(sandbox.url).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/);
    expect(Buffer.from(sandbox.caData, 'base64').toString()).toBe(
      sandbox.caPem,
    );
    const cluster = admin.getCurrentCluster();
    expect(cluster?.skipTLSVerify).toBeFalsy();
    const ns = await admin.makeApiClient(k8s.CoreV1Api).listNamespace();
    expect(ns.items.map(n => n.metadata?.name)).toEqual(
      expect.arrayContaining(['default', 'team-a', 'team-b']),
    );
  });

  it('rejects a client that does not trust the CA', async () => {
    const kc = new k8s.KubeConfig();
    kc.loadFromOptions({
      clusters: [{ name: 's', server: sandbox.url }],
      users: [{ name: 'u', token: 'admin-token' }],
      contexts: [{ name: 'c', cluster: 's', user: 'u' }],
      currentContext: 'c',
    });
    const e = await errorOf(() =>
      kc.makeApiClient(k8s.CoreV1Api).listNamespace(),
    );
    expect(String(e.message ?? e)).toMatch(/certificate|self.signed/i);
  });

  it('answers 401 without a known token and 403 outside the token namespaces', async () => {
    const unknown = kubeConfigFor(sandbox, 'nope');
    const e401 = await errorOf(() =>
      unknown.makeApiClient(k8s.CoreV1Api).listNamespacedService({
        namespace: 'team-a',
      }),
    );
    expect(e401.code).toBe(401);
    const raw = await fetchRaw(sandbox, '/api/v1/namespaces', 'nope');
    expect(raw.status).toBe(401);
    expect(raw.body).toMatchObject({
      kind: 'Status',
      status: 'Failure',
      reason: 'Unauthorized',
      code: 401,
    });
    expect((await fetchRaw(sandbox, '/version')).status).toBe(401);

    const e403 = await errorOf(() =>
      teamA.makeApiClient(k8s.AppsV1Api).readNamespacedDeployment({
        namespace: 'team-b',
        name: 'x',
      }),
    );
    expect(e403.code).toBe(403);
    expect(JSON.parse(e403.body)).toMatchObject({
      kind: 'Status',
      apiVersion: 'v1',
      status: 'Failure',
      reason: 'Forbidden',
      code: 403,
      details: { name: 'x', kind: 'deployments' },
    });
    const cluster403 = await errorOf(() =>
      teamA.makeApiClient(k8s.CoreV1Api).listNamespace(),
    );
    expect(cluster403.code).toBe(403);
    const entry = sandbox.requestLog[sandbox.requestLog.length - 1];
    expect(entry).toMatchObject({ status: 403, token: 'token#2' });
    expect(JSON.stringify(sandbox.requestLog)).not.toContain('team-a-token');
  });

  it('creates, gets, lists with selectors, updates and deletes', async () => {
    const apps = teamA.makeApiClient(k8s.AppsV1Api);
    const core = teamA.makeApiClient(k8s.CoreV1Api);
    await apps.createNamespacedDeployment({
      namespace: 'team-a',
      body: deployment('crud-a', 'team-a', 1, { app: 'crud-a', tier: 'web' }),
    });
    await apps.createNamespacedDeployment({
      namespace: 'team-a',
      body: deployment('crud-b', 'team-a', 1, { app: 'crud-b', tier: 'db' }),
    });
    await core.createNamespacedService({
      namespace: 'team-a',
      body: {
        metadata: { name: 'crud-a', labels: { app: 'crud-a' } },
        spec: { selector: { app: 'crud-a' }, ports: [{ port: 80 }] },
      },
    });

    const dup = await errorOf(() =>
      apps.createNamespacedDeployment({
        namespace: 'team-a',
        body: deployment('crud-a', 'team-a'),
      }),
    );
    expect(dup.code).toBe(409);
    expect(JSON.parse(dup.body).reason).toBe('AlreadyExists');

    const got = await apps.readNamespacedDeployment({
      namespace: 'team-a',
      name: 'crud-a',
    });
    expect(got.metadata).toMatchObject({
      name: 'crud-a',
      namespace: 'team-a',
      generation: 1,
      uid: expect.any(String),
      resourceVersion: expect.stringMatching(/^\d+$/),
    });
    expect(got.metadata?.creationTimestamp).toBeInstanceOf(Date);

    const names = async (labelSelector?: string, fieldSelector?: string) =>
      (
        await apps.listNamespacedDeployment({
          namespace: 'team-a',
          labelSelector,
          fieldSelector,
        })
      ).items
        .map(d => d.metadata!.name)
        .filter(n => n!.startsWith('crud-'));
    expect(await names('tier=web')).toEqual(['crud-a']);
    expect(await names('tier!=web')).toEqual(['crud-b']);
    expect(await names('tier in (web,db)')).toEqual(['crud-a', 'crud-b']);
    expect(await names('tier notin (web)')).toEqual(['crud-b']);
    expect(await names('tier')).toEqual(['crud-a', 'crud-b']);
    expect(await names('!tier')).toEqual([]);
    expect(await names(undefined, 'metadata.name=crud-b')).toEqual(['crud-b']);
    expect(await names(undefined, 'metadata.namespace=team-b')).toEqual([]);

    const svc = await core.readNamespacedService({
      namespace: 'team-a',
      name: 'crud-a',
    });
    svc.spec!.ports = [{ port: 8080 }];
    const updated = await core.replaceNamespacedService({
      namespace: 'team-a',
      name: 'crud-a',
      body: svc,
    });
    expect(updated.metadata?.generation).toBe(2);
    expect(updated.spec?.ports?.[0].port).toBe(8080);
    const stale = await errorOf(() =>
      core.replaceNamespacedService({
        namespace: 'team-a',
        name: 'crud-a',
        body: svc,
      }),
    );
    expect(stale.code).toBe(409);
    expect(JSON.parse(stale.body).reason).toBe('Conflict');

    const deleted = await apps.deleteNamespacedDeployment({
      namespace: 'team-a',
      name: 'crud-a',
    });
    expect(deleted).toMatchObject({ kind: 'Status', status: 'Success' });
    const gone = await errorOf(() =>
      apps.readNamespacedDeployment({ namespace: 'team-a', name: 'crud-a' }),
    );
    expect(gone.code).toBe(404);
    expect(JSON.parse(gone.body)).toMatchObject({
      reason: 'NotFound',
      message: 'deployments.apps "crud-a" not found',
    });
    await core.deleteNamespacedService({ namespace: 'team-a', name: 'crud-a' });
    await apps.deleteNamespacedDeployment({
      namespace: 'team-a',
      name: 'crud-b',
    });
  });

  it('answers 404 for a namespace that does not exist and 422 for invalid objects', async () => {
    const apps = admin.makeApiClient(k8s.AppsV1Api);
    const missing = await errorOf(() =>
      apps.createNamespacedDeployment({
        namespace: 'nowhere',
        body: deployment('x', 'nowhere'),
      }),
    );
    expect(missing.code).toBe(404);
    expect(JSON.parse(missing.body).message).toBe(
      'namespaces "nowhere" not found',
    );

    const bad = deployment('Bad_Name', 'team-b');
    const invalid = await errorOf(() =>
      apps.createNamespacedDeployment({ namespace: 'team-b', body: bad }),
    );
    expect(invalid.code).toBe(422);
    expect(JSON.parse(invalid.body).reason).toBe('Invalid');
  });

  it('creates and deletes namespaces with an all-namespaces token', async () => {
    const core = admin.makeApiClient(k8s.CoreV1Api);
    await core.createNamespace({ body: { metadata: { name: 'scratch' } } });
    await admin.makeApiClient(k8s.AppsV1Api).createNamespacedDeployment({
      namespace: 'scratch',
      body: deployment('in-scratch', 'scratch'),
    });
    const ns = await core.readNamespace({ name: 'scratch' });
    expect(ns.status?.phase).toBe('Active');
    await core.deleteNamespace({ name: 'scratch' });
    expect(sandbox.getObject('v1', 'Namespace', '', 'scratch')).toBeUndefined();
    expect(
      sandbox.getObject('apps/v1', 'Deployment', 'scratch', 'in-scratch'),
    ).toBeUndefined();
  });

  it('serves InferenceServices through the custom objects API', async () => {
    const custom = teamA.makeApiClient(k8s.CustomObjectsApi);
    const created = await custom.createNamespacedCustomObject({
      group: 'serving.kserve.io',
      version: 'v1beta1',
      namespace: 'team-a',
      plural: 'inferenceservices',
      body: inferenceService('isvc-crud', 'team-a'),
    });
    expect(created.metadata.generation).toBe(1);
    const list = await custom.listNamespacedCustomObject({
      group: 'serving.kserve.io',
      version: 'v1beta1',
      namespace: 'team-a',
      plural: 'inferenceservices',
      labelSelector: 'app=isvc-crud',
    });
    expect(list.items).toHaveLength(1);
    await custom.deleteNamespacedCustomObject({
      group: 'serving.kserve.io',
      version: 'v1beta1',
      namespace: 'team-a',
      plural: 'inferenceservices',
      name: 'isvc-crud',
    });
    expect(
      sandbox.getObject(
        'serving.kserve.io/v1beta1',
        'InferenceService',
        'team-a',
        'isvc-crud',
      ),
    ).toBeUndefined();
  });
});
