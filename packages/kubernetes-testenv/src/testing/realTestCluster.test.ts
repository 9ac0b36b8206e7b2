import https from 'node:https';
import {
  SharedTestEnv,
  connectSharedTestEnv,
  testEnvAvailable,
} from './sharedTestEnv';
import { RealTestCluster, startRealTestCluster } from './realTestCluster';

jest.setTimeout(240_000);

const describeReal = testEnvAvailable() ? describe : describe.skip;

/** One request to the cluster through its URL with its token. */
function call(
  cluster: RealTestCluster,
  method: string,
  path: string,
  body?: unknown,
): Promise<{ status: number; body: any }> {
  const payload = body === undefined ? undefined : JSON.stringify(body);
  return new Promise((resolve, reject) => {
    const req = https.request(
      new URL(path, cluster.url),
      {
        method,
        ca: Buffer.from(cluster.caData, 'base64').toString('utf8'),
        headers: {
          Authorization: `Bearer ${cluster.token}`,
          'Content-Type': 'application/json',
          ...(payload ? { 'Content-Length': Buffer.byteLength(payload) } : {}),
        },
      },
      res => {
        const chunks: Buffer[] = [];
        res.on('data', c => chunks.push(c));
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          let parsed: any = text;
          try {
            parsed = JSON.parse(text);
          } catch {
            // not JSON
          }
          resolve({ status: res.statusCode ?? 0, body: parsed });
        });
      },
    );
    req.on('error', reject);
    if (payload) req.write(payload);
    req.end();
  });
}

function deployment(namespace: string, name: string) {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: {
      name,
      namespace,
      labels: { 'app.kubernetes.io/managed-by': 'real-cluster-test' },
    },
    spec: {
      replicas: 1,
      selector: { matchLabels: { app: name } },
      template: {
        metadata: { labels: { app: name } },
        spec: {
          containers: [{ name: 'c', image: 'example.invalid/c:1' }],
          tolerations: [{ operator: 'Exists' }],
        },
      },
    },
  };
}

async function waitFor<T>(
  what: string,
  fn: () => Promise<T | undefined>,
  timeoutMs = 120_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await fn();
    if (v !== undefined) return v;
    if (Date.now() > deadline) throw new Error(`Timed out waiting for ${what}`);
    await new Promise(r => setTimeout(r, 250));
  }
}

const condition = (d: any, type: string) =>
  (d?.status?.conditions ?? []).find((c: any) => c.type === type);

describeReal('a TestCluster on the real control plane', () => {
  let env: SharedTestEnv;
  let cluster: RealTestCluster;

  beforeAll(async () => {
    env = await connectSharedTestEnv();
    cluster = await startRealTestCluster(env, {
      namespaces: ['rtc-a', 'rtc-b'],
    });
  });

  afterAll(async () => {
    await cluster?.close();
    await env?.release();
  });

  it('gives a token for its own namespaces only, and counts real writes', async () => {
    const [a] = cluster.namespaces;
    const before = cluster.writeCount();
    const dry = await call(
      cluster,
      'POST',
      `/apis/apps/v1/namespaces/${a}/deployments?dryRun=All`,
      deployment(a, 'dry'),
    );
    expect(dry.status).toBe(201);
    expect(cluster.writeCount()).toBe(before);
    const elsewhere = await call(
      cluster,
      'POST',
      '/apis/apps/v1/namespaces/default/deployments',
      deployment('default', 'nope'),
    );
    expect(elsewhere.status).toBe(403);
    expect(cluster.writeCount()).toBe(before);
    const created = await call(
      cluster,
      'POST',
      `/apis/apps/v1/namespaces/${a}/deployments`,
      deployment(a, 'web'),
    );
    expect(created.status).toBe(201);
    expect(cluster.writeCount()).toBe(before + 1);
    const ref = {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      namespace: a,
      name: 'web',
    };
    expect((await cluster.get(ref))?.metadata?.name).toBe('web');
    expect(await cluster.listManaged('real-cluster-test')).toEqual([ref]);
    // a ready workload by default: kwok runs its pod
    await waitFor('web to be available', async () =>
      condition(await cluster.get(ref), 'Available')?.status === 'True'
        ? true
        : undefined,
    );

    cluster.failDeletes('web', 1);
    const failed = await call(
      cluster,
      'DELETE',
      `/apis/apps/v1/namespaces/${a}/deployments/web`,
    );
    expect(failed.status).toBe(500);
    expect(await cluster.get(ref)).toBeDefined();
    const deleted = await call(
      cluster,
      'DELETE',
      `/apis/apps/v1/namespaces/${a}/deployments/web`,
    );
    expect(deleted.status).toBe(200);
    expect(cluster.writeCount()).toBe(before + 2);
  });

  it('makes workloads never ready, or fail with a real ProgressDeadlineExceeded', async () => {
    const [a, b] = cluster.namespaces;
    await cluster.setReadiness('never-ready', { namespace: a, name: 'slow' });
    await cluster.setReadiness('fail', { namespace: b, name: 'broken' });
    await expect(
      cluster.setReadiness('ready', { namespace: a, name: 'other' }),
    ).rejects.toThrow(/per namespace/);
    expect(
      (
        await call(
          cluster,
          'POST',
          `/apis/apps/v1/namespaces/${a}/deployments`,
          deployment(a, 'slow'),
        )
      ).status,
    ).toBe(201);
    expect(
      (
        await call(
          cluster,
          'POST',
          `/apis/apps/v1/namespaces/${b}/deployments`,
          deployment(b, 'broken'),
        )
      ).status,
    ).toBe(201);
    const broken = {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      namespace: b,
      name: 'broken',
    };
    const slow = {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      namespace: a,
      name: 'slow',
    };
    const failed = await waitFor('ProgressDeadlineExceeded', async () => {
      const c = condition(await cluster.get(broken), 'Progressing');
      return c?.reason === 'ProgressDeadlineExceeded' ? c : undefined;
    });
    expect(failed.status).toBe('False');
    // the quota keeps the never-ready one without pods
    const s = await cluster.get(slow);
    expect(s.status?.availableReplicas ?? 0).toBe(0);
    expect(condition(s, 'ReplicaFailure')?.status).toBe('True');

    // made ready again, the pod is created and the rollout completes
    await cluster.setReadiness('ready', { namespace: a, name: 'slow' });
    await waitFor('slow to be available', async () =>
      condition(await cluster.get(slow), 'Available')?.status === 'True'
        ? true
        : undefined,
    );
  });
});
