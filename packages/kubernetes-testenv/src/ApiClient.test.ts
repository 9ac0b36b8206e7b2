import {
  KubernetesSandbox,
  startKubernetesSandbox,
} from '@aic/kubernetes-sandbox';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ApiClient, ApiError, objectPath } from './ApiClient';
import { generateControlPlaneCertificates } from './certificates';
import { waitFor } from './controlPlaneComponents';
import { ManagedProcess } from './ManagedProcess';
import { startFaultProxy } from './startFaultProxy';

/*
 * The small set-up client of the control plane, against the Kubernetes
 * sandbox (and the fault proxy for answers the sandbox never gives), and
 * the wait loop the components start with.
 */

// Generous: node-forge makes RSA keys in JavaScript, slow on a busy machine;
// no test waits on time.
jest.setTimeout(240_000);

const TOKEN = 'api-client-test-token-0123456789';

describe('ApiClient', () => {
  let sandbox: KubernetesSandbox;
  let client: ApiClient;

  beforeAll(async () => {
    sandbox = await startKubernetesSandbox({
      tokens: { [TOKEN]: ['team-a'] },
      namespaces: ['team-a'],
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

  const service = {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name: 'svc', namespace: 'team-a' },
    spec: { ports: [{ port: 80 }] },
  };

  it('applies server-side and reads back as JSON', async () => {
    const applied = await client.apply(service, 'api-client-test');
    expect(applied.metadata.name).toBe('svc');
    const read = await client.request('GET', objectPath(service));
    expect(read.spec.ports[0].port).toBe(80);
    expect(sandbox.getObject('v1', 'Service', 'team-a', 'svc')).toBeDefined();
  });

  it('rejects a non-2xx answer with its status and the server message', async () => {
    const missing = {
      ...service,
      metadata: { name: 'nope', namespace: 'team-a' },
    };
    const error: ApiError = await client
      .request('GET', objectPath(missing))
      .catch(e => e);
    expect(error).toBeInstanceOf(ApiError);
    expect(error.status).toBe(404);
    expect(error.message).toMatch(
      /^GET \/api\/v1\/namespaces\/team-a\/services\/nope answered 404: .*nope/,
    );
  });

  it('keeps a body that is not JSON, and times out a slow answer', async () => {
    const certs = generateControlPlaneCertificates({ serviceIp: '10.0.0.1' });
    const proxy = await startFaultProxy({
      target: 'https://127.0.0.1:1',
      caPem: certs.ca.certPem,
      certPem: certs.apiserver.certPem,
      keyPem: certs.apiserver.keyPem,
    });
    const viaProxy = new ApiClient({ url: proxy.url, caPem: certs.ca.certPem });
    try {
      const text: ApiError = await viaProxy
        .request('GET', '/readyz')
        .catch(e => e);
      expect(text.status).toBe(502);
      expect(text.body).toMatch(/^fault proxy: upstream failed/);
      expect(text.message).toMatch(/^GET \/readyz answered 502: "fault proxy/);

      proxy.injectFaults({ kind: 'slow', count: 1, delayMs: 2_000 });
      await expect(
        viaProxy.request('GET', '/version', undefined, 'application/json', 200),
      ).rejects.toThrow('GET /version timed out');
    } finally {
      viaProxy.close();
      await proxy.close();
    }
  });

  it('builds REST paths for namespaced, cluster-scoped and group kinds', () => {
    expect(objectPath(service)).toBe('/api/v1/namespaces/team-a/services/svc');
    expect(
      objectPath({
        apiVersion: 'v1',
        kind: 'Namespace',
        metadata: { name: 'team-a', namespace: 'ignored' },
      }),
    ).toBe('/api/v1/namespaces/team-a');
    expect(
      objectPath({
        apiVersion: 'networking.k8s.io/v1',
        kind: 'Ingress',
        metadata: { name: 'web', namespace: 'team-a' },
      }),
    ).toBe('/apis/networking.k8s.io/v1/namespaces/team-a/ingresses/web');
    expect(
      objectPath({
        apiVersion: 'rbac.authorization.k8s.io/v1',
        kind: 'ClusterRole',
        metadata: { name: 'reader' },
      }),
    ).toBe('/apis/rbac.authorization.k8s.io/v1/clusterroles/reader');
  });
});

describe('waitFor', () => {
  let dir: string;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'wait-for-'));
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('answers the first value the check returns', async () => {
    let calls = 0;
    await expect(
      waitFor('the third call', Date.now() + 10_000, [], async () =>
        ++calls === 3 ? 'up' : undefined,
      ),
    ).resolves.toBe('up');
  });

  it('names what it waited for and the last error when the deadline passes', async () => {
    await expect(
      waitFor('kube-apiserver /readyz', Date.now() + 300, [], async () => {
        throw new Error('connect ECONNREFUSED');
      }),
    ).rejects.toThrow(
      'Timed out waiting for kube-apiserver /readyz (last error: connect ECONNREFUSED)',
    );
    await expect(
      waitFor('nothing', Date.now() + 100, [], async () => undefined),
    ).rejects.toThrow(/^Timed out waiting for nothing$/);
  });

  it('stops at once when a component died, with its log', async () => {
    const p = new ManagedProcess(
      'fake-etcd',
      '/bin/sh',
      ['-c', 'echo "etcd: bad flag"; exit 1'],
      path.join(dir, 'etcd.log'),
    );
    while (!p.exit) await new Promise(r => setTimeout(r, 20));
    await expect(
      waitFor('etcd', Date.now() + 10_000, [p], async () => undefined),
    ).rejects.toThrow(/fake-etcd exited \(code 1.*etcd: bad flag/s);
  });
});
