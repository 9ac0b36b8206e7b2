import * as k8s from '@kubernetes/client-node';
import { startTestCluster, TestCluster } from './testCluster';
import { deployment, eventually } from './__testUtils__/clients';

/*
 * The test cluster other packages deploy to: reached with its URL, CA and
 * namespace-scoped token, read back through get/listManaged, and steered
 * through setReadiness and failDeletes.
 */

describe('startTestCluster', () => {
  let cluster: TestCluster;
  let apps: k8s.AppsV1Api;

  beforeAll(async () => {
    cluster = await startTestCluster({
      namespaces: ['team-a'],
      token: 'team-a-token',
      rolloutDelayMs: 20,
    });
    const kc = new k8s.KubeConfig();
    kc.loadFromOptions({
      clusters: [{ name: 'c', server: cluster.url, caData: cluster.caData }],
      users: [{ name: 'u', token: cluster.token }],
      contexts: [{ name: 'x', cluster: 'c', user: 'u' }],
      currentContext: 'x',
    });
    apps = kc.makeApiClient(k8s.AppsV1Api);
  });

  afterAll(async () => {
    await cluster.close();
  });

  const managed = (name: string) =>
    deployment(name, 'team-a', 1, {
      app: name,
      'app.kubernetes.io/managed-by': 'model-marketplace',
    });

  it('serves the namespaces of its token, lists what is managed and counts writes', async () => {
    expect(cluster.writeCount()).toBe(0);
    await apps.createNamespacedDeployment({
      namespace: 'team-a',
      body: managed('ours'),
    });
    await apps.createNamespacedDeployment({
      namespace: 'team-a',
      body: deployment('theirs', 'team-a', 1),
    });
    expect(cluster.writeCount()).toBe(2);
    // a dry run is not a write
    await apps.createNamespacedDeployment({
      namespace: 'team-a',
      body: managed('dry'),
      dryRun: 'All',
    });
    expect(cluster.writeCount()).toBe(2);

    expect(cluster.listManaged('model-marketplace')).toEqual([
      {
        apiVersion: 'apps/v1',
        kind: 'Deployment',
        namespace: 'team-a',
        name: 'ours',
      },
    ]);
    expect(
      cluster.get({
        apiVersion: 'apps/v1',
        kind: 'Deployment',
        namespace: 'team-a',
        name: 'theirs',
      })?.metadata.name,
    ).toBe('theirs');
    expect(
      cluster.get({
        apiVersion: 'apps/v1',
        kind: 'Deployment',
        namespace: 'team-a',
        name: 'dry',
      }),
    ).toBeUndefined();

    // the token reaches no other namespace
    await expect(
      apps.createNamespacedDeployment({
        namespace: 'team-b',
        body: deployment('elsewhere', 'team-b', 1),
      }),
    ).rejects.toMatchObject({ code: 403 });
  });

  it('makes workloads ready, never ready or failed as told', async () => {
    const available = (name: string) => async () => {
      const d = await apps.readNamespacedDeployment({
        namespace: 'team-a',
        name,
      });
      return d.status?.conditions?.find(c => c.type === 'Available')?.status ===
        'True'
        ? d
        : undefined;
    };
    const progressing = async (name: string) =>
      (
        await apps.readNamespacedDeployment({ namespace: 'team-a', name })
      ).status?.conditions?.find(c => c.type === 'Progressing');

    cluster.setReadiness('never-ready');
    cluster.setReadiness('fail', { namespace: 'team-a', name: 'broken' });
    await apps.createNamespacedDeployment({
      namespace: 'team-a',
      body: managed('stuck'),
    });
    await apps.createNamespacedDeployment({
      namespace: 'team-a',
      body: managed('broken'),
    });
    const failed = await eventually(async () => {
      const p = await progressing('broken');
      return p?.reason === 'ProgressDeadlineExceeded' && p;
    });
    expect(failed.status).toBe('False');
    expect(await available('stuck')()).toBeUndefined();

    cluster.setReadiness('ready');
    await apps.createNamespacedDeployment({
      namespace: 'team-a',
      body: managed('fine'),
    });
    expect(await eventually(available('fine'))).toBeTruthy();
  });

  it('fails the next deletes of a name, then deletes again', async () => {
    await apps.createNamespacedDeployment({
      namespace: 'team-a',
      body: managed('fragile'),
    });
    cluster.failDeletes('fragile', 1);
    await expect(
      apps.deleteNamespacedDeployment({ namespace: 'team-a', name: 'fragile' }),
    ).rejects.toMatchObject({ code: 500 });
    await apps.deleteNamespacedDeployment({
      namespace: 'team-a',
      name: 'fragile',
    });
    expect(
      cluster.get({
        apiVersion: 'apps/v1',
        kind: 'Deployment',
        namespace: 'team-a',
        name: 'fragile',
      }),
    ).toBeUndefined();
  });
});
