/*
 * The parts of the test environment that run without a control plane: the
 * fault proxy (in front of the Kubernetes sandbox), the shared-environment
 * info file, port choice, kubeconfig rendering and the binaries lookup (the
 * command line's answers: cli.test.ts).
 */
import {
  KubernetesSandbox,
  startKubernetesSandbox,
} from '@aic/kubernetes-sandbox';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import https from 'node:https';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import YAML from 'yaml';
import {
  TESTENV_VERSIONS,
  findTestEnvBinaries,
  hasTestEnvBinaries,
  testEnvCacheDir,
} from './binaries';
import { generateControlPlaneCertificates } from './certificates';
import { kubeconfigYaml } from './kubeconfigYaml';
import { pickPorts, portRange } from './ports';
import { FaultProxy, startFaultProxy } from './startFaultProxy';
import {
  clusterSuites,
  connectSharedTestEnv,
  testEnvAvailable,
} from './testing/sharedTestEnv';

// Generous: node-forge makes RSA keys in JavaScript, slow on a busy machine;
// no test waits on time.
jest.setTimeout(240_000);

const TOKEN = 'helpers-test-token-0123456789';

/** Sets environment variables for one test and restores them after it. */
function withEnv(values: Record<string, string | undefined>) {
  const saved = Object.fromEntries(
    Object.keys(values).map(k => [k, process.env[k]]),
  );
  for (const [k, v] of Object.entries(values)) {
    if (v === undefined) delete process.env[k];
    else process.env[k] = v;
  }
  return () => {
    for (const [k, v] of Object.entries(saved)) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
  };
}

function tmpDir(prefix: string) {
  return fs.mkdtempSync(path.join(os.tmpdir(), prefix));
}

describe('the fault proxy in front of the sandbox', () => {
  let sandbox: KubernetesSandbox;
  let proxy: FaultProxy;
  let clientCa: string;

  beforeAll(async () => {
    sandbox = await startKubernetesSandbox({
      tokens: { [TOKEN]: ['team-a'] },
      namespaces: ['team-a'],
    });
    const certs = generateControlPlaneCertificates({ serviceIp: '10.0.0.1' });
    clientCa = certs.ca.certPem;
    proxy = await startFaultProxy({
      target: sandbox.url,
      caPem: sandbox.caPem,
      certPem: certs.apiserver.certPem,
      keyPem: certs.apiserver.keyPem,
    });
  });

  afterAll(async () => {
    await proxy?.close();
    await sandbox?.close();
  });

  beforeEach(() => proxy.clearRequestLog());

  function call(
    method: string,
    urlPath: string,
    options: { token?: string; body?: unknown } = {},
  ): Promise<{ status: number; body: string }> {
    return new Promise((resolve, reject) => {
      const req = https.request(
        `${proxy.url}${urlPath}`,
        {
          method,
          ca: clientCa,
          headers: {
            ...(options.token
              ? { Authorization: `Bearer ${options.token}` }
              : {}),
            ...(options.body ? { 'Content-Type': 'application/json' } : {}),
          },
        },
        res => {
          let body = '';
          res.on('data', c => (body += c));
          res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
        },
      );
      req.on('error', reject);
      req.end(options.body ? JSON.stringify(options.body) : undefined);
    });
  }

  const service = (name: string) => ({
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name, namespace: 'team-a' },
    spec: { ports: [{ port: 80 }] },
  });

  it('forwards requests and logs them with a token label, never the token', async () => {
    const answer = await call('GET', '/api/v1/namespaces/team-a/services', {
      token: TOKEN,
    });
    expect(answer.status).toBe(200);
    expect(JSON.parse(answer.body).kind).toBe('ServiceList');
    const label = `token:${createHash('sha256')
      .update(TOKEN)
      .digest('hex')
      .slice(0, 8)}`;
    expect(proxy.requestLog).toEqual([
      expect.objectContaining({
        method: 'GET',
        path: '/api/v1/namespaces/team-a/services',
        status: 200,
        token: label,
      }),
    ]);
    expect(JSON.stringify(proxy.requestLog)).not.toContain(TOKEN);
    // without a token the sandbox answers 401 and the log has no label
    const anonymous = await call('GET', '/api/v1/namespaces/team-a/services');
    expect(anonymous.status).toBe(401);
    expect(proxy.requestLog[1].token).toBeUndefined();
  });

  it('counts successful writes, not dry runs or refused ones', async () => {
    const before = proxy.writeCount();
    const dry = await call(
      'POST',
      '/api/v1/namespaces/team-a/services?dryRun=All',
      { token: TOKEN, body: service('dry') },
    );
    expect(dry.status).toBe(201);
    expect(proxy.writeCount()).toBe(before);
    const created = await call('POST', '/api/v1/namespaces/team-a/services', {
      token: TOKEN,
      body: service('real'),
    });
    expect(created.status).toBe(201);
    expect(proxy.writeCount()).toBe(before + 1);
    const again = await call('POST', '/api/v1/namespaces/team-a/services', {
      token: TOKEN,
      body: service('real'),
    });
    expect(again.status).toBe(409);
    expect(proxy.writeCount()).toBe(before + 1);
    expect(proxy.requestLog.map(e => e.query)).toEqual(['dryRun=All', '', '']);
  });

  it('answers injected faults itself, then forwards again', async () => {
    proxy.injectFaults({
      kind: '500',
      count: 1,
      match: { method: 'GET', pathIncludes: '/services' },
    });
    const faulted = await call('GET', '/api/v1/namespaces/team-a/services', {
      token: TOKEN,
    });
    expect(faulted.status).toBe(500);
    expect(faulted.body).toContain('injected fault');
    const next = await call('GET', '/api/v1/namespaces/team-a/services', {
      token: TOKEN,
    });
    expect(next.status).toBe(200);
    expect(proxy.requestLog.map(e => e.status)).toEqual([500, 200]);
  });

  it('answers 502 naming the cause when the apiserver is gone', async () => {
    const closed = await new Promise<number>(resolve => {
      const s = net.createServer();
      s.listen(0, '127.0.0.1', () => {
        const port = (s.address() as net.AddressInfo).port;
        s.close(() => resolve(port));
      });
    });
    const certs = generateControlPlaneCertificates({ serviceIp: '10.0.0.1' });
    const orphan = await startFaultProxy({
      target: `https://127.0.0.1:${closed}`,
      caPem: certs.ca.certPem,
      certPem: certs.apiserver.certPem,
      keyPem: certs.apiserver.keyPem,
    });
    try {
      expect(orphan.caData).toBe(
        Buffer.from(certs.ca.certPem).toString('base64'),
      );
      const answer = await new Promise<{ status: number; body: string }>(
        (resolve, reject) => {
          https
            .get(`${orphan.url}/version`, { ca: certs.ca.certPem }, res => {
              let body = '';
              res.on('data', c => (body += c));
              res.on('end', () =>
                resolve({ status: res.statusCode ?? 0, body }),
              );
            })
            .on('error', reject);
        },
      );
      expect(answer.status).toBe(502);
      expect(answer.body).toMatch(
        /fault proxy: upstream failed: .*ECONNREFUSED/,
      );
    } finally {
      await orphan.close();
    }
  });
});

describe('the shared test environment', () => {
  let dir: string;
  let restore: () => void;

  beforeEach(() => {
    dir = tmpDir('testenv-info-');
  });

  afterEach(() => {
    restore?.();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  function infoFile(info: object) {
    const file = path.join(dir, 'info.json');
    fs.writeFileSync(file, JSON.stringify(info));
    return file;
  }

  const complete = {
    url: 'https://127.0.0.1:17001',
    caData: Buffer.from('-----BEGIN CERTIFICATE-----').toString('base64'),
    adminKubeconfig: '/tmp/admin.kubeconfig',
    tokens: { deployer: 't1', other: 't2' },
    backstageToken: 't3',
  };

  it('reads the info file kube-testenv --info-file wrote', async () => {
    restore = withEnv({ AIC_TESTENV_INFO: infoFile(complete) });
    expect(testEnvAvailable()).toBe(true);
    const env = await connectSharedTestEnv();
    expect(env.url).toBe(complete.url);
    expect(env.caPem).toBe('-----BEGIN CERTIFICATE-----');
    expect(env.tokens.deployer).toBe('t1');
    // a shared control plane is left running
    await expect(env.release()).resolves.toBeUndefined();
  });

  it('says when the info file does not exist', async () => {
    const missing = path.join(dir, 'nope.json');
    restore = withEnv({ AIC_TESTENV_INFO: missing });
    await expect(connectSharedTestEnv()).rejects.toThrow(
      `AIC_TESTENV_INFO names ${missing}, which does not exist; is kube-testenv running?`,
    );
  });

  it('names the missing field of an info file', async () => {
    const { adminKubeconfig: _omitted, ...partial } = complete;
    const file = infoFile(partial);
    restore = withEnv({ AIC_TESTENV_INFO: file });
    await expect(connectSharedTestEnv()).rejects.toThrow(
      `${file} has no adminKubeconfig`,
    );
  });

  it('names the missing team token and how to start the control plane', async () => {
    restore = withEnv({
      AIC_TESTENV_INFO: infoFile({ ...complete, tokens: { deployer: 't1' } }),
    });
    await expect(connectSharedTestEnv()).rejects.toThrow(
      /has no token for team 'other'; start it with kube-testenv --for-tests/,
    );
  });

  it('skips the real control plane off CI without binaries, with a message', () => {
    restore = withEnv({
      AIC_TESTENV_INFO: undefined,
      CI: 'false',
      AIC_KUBE_CACHE: dir,
    });
    const warn = jest.spyOn(console, 'warn').mockImplementation(() => {});
    try {
      expect(testEnvAvailable()).toBe(false);
      expect(warn.mock.calls[0][0]).toMatch(
        /Skipping real Kubernetes control plane tests: .*build-binaries\.sh/,
      );
      const suites = clusterSuites({
        sandbox: async () => 'sandbox',
        real: async () => 'real',
      });
      expect(suites.map(([name, s]) => [name, s.real])).toEqual([
        ['the sandbox', false],
      ]);
    } finally {
      warn.mockRestore();
    }
  });

  it('runs the real control plane suites in CI, and with built binaries', () => {
    restore = withEnv({ AIC_TESTENV_INFO: undefined, CI: 'true' });
    const suites = clusterSuites({
      sandbox: async () => 'sandbox',
      real: async () => 'real',
    });
    expect(suites.map(([name, s]) => [name, s.real])).toEqual([
      ['the sandbox', false],
      ['a real Kubernetes control plane', true],
    ]);
  });

  it('finds binaries in the cache folder when all are there', () => {
    restore = withEnv({ AIC_KUBE_CACHE: dir, CI: 'false' });
    expect(testEnvCacheDir()).toBe(dir);
    expect(hasTestEnvBinaries()).toBe(false);
    const v = TESTENV_VERSIONS;
    const files = [
      `etcd-${v.etcd}/bin/aic-etcd`,
      `kubernetes-${v.kubernetes}/bin/kube-apiserver`,
      `kubernetes-${v.kubernetes}/bin/kube-controller-manager`,
      `kubernetes-${v.kubernetes}/bin/kube-scheduler`,
      `kwok-${v.kwok}/bin/kwok`,
      `kwok-${v.kwok}/stages.yaml`,
      `kserve-${v.kserve}/crds.yaml`,
    ];
    for (const f of files) {
      fs.mkdirSync(path.dirname(path.join(dir, f)), { recursive: true });
      fs.writeFileSync(path.join(dir, f), '');
    }
    expect(hasTestEnvBinaries()).toBe(true);
    expect(testEnvAvailable()).toBe(true);
    expect(findTestEnvBinaries().kubeApiserver).toBe(path.join(dir, files[1]));
  });

  it('defaults the cache folder to ~/.cache/aic-kube-testenv', () => {
    restore = withEnv({ AIC_KUBE_CACHE: undefined });
    expect(testEnvCacheDir()).toBe(
      path.join(os.homedir(), '.cache', 'aic-kube-testenv'),
    );
  });
});

describe('ports', () => {
  let restore: (() => void) | undefined;
  afterEach(() => restore?.());

  it('takes the range from the option, then AIC_TESTENV_PORTS, then 17000-17999', () => {
    restore = withEnv({ AIC_TESTENV_PORTS: '27810-27820' });
    expect(portRange({ portRange: [1, 2] })).toEqual([1, 2]);
    expect(portRange({})).toEqual([27810, 27820]);
    process.env.AIC_TESTENV_PORTS = 'garbage';
    expect(portRange({})).toEqual([17000, 17999]);
  });

  it('picks distinct free ports, never a taken or busy one', async () => {
    // a port the OS chose, kept busy, at the start of the range
    const busy = net.createServer();
    await new Promise<void>(r => busy.listen(0, '127.0.0.1', () => r()));
    const p = (busy.address() as net.AddressInfo).port;
    try {
      const picked = await pickPorts(2, [p, p + 6], [p + 1]);
      expect(new Set(picked).size).toBe(2);
      for (const q of picked) {
        expect(q).toBeGreaterThanOrEqual(p + 2);
        expect(q).toBeLessThanOrEqual(p + 6);
      }
      await expect(pickPorts(2, [p, p + 1], [p + 1])).rejects.toThrow(
        `No 2 free ports between ${p} and ${p + 1}`,
      );
    } finally {
      await new Promise(r => busy.close(r));
    }
  });
});

describe('kubeconfigYaml', () => {
  it('renders a context per user, with token or client certificate', () => {
    const config = YAML.parse(
      kubeconfigYaml('https://127.0.0.1:17001', 'Q0E=', [
        { name: 'team-a', token: 'tok', namespace: 'team-a' },
        { name: 'admin', cert: 'CERT', key: 'KEY' },
      ]),
    );
    expect(config.clusters).toEqual([
      {
        name: 'testenv',
        cluster: {
          server: 'https://127.0.0.1:17001',
          'certificate-authority-data': 'Q0E=',
        },
      },
    ]);
    expect(config.users).toEqual([
      { name: 'team-a', user: { token: 'tok' } },
      {
        name: 'admin',
        user: {
          'client-certificate-data': Buffer.from('CERT').toString('base64'),
          'client-key-data': Buffer.from('KEY').toString('base64'),
        },
      },
    ]);
    expect(config.contexts).toEqual([
      {
        name: 'team-a',
        context: { cluster: 'testenv', user: 'team-a', namespace: 'team-a' },
      },
      { name: 'admin', context: { cluster: 'testenv', user: 'admin' } },
    ]);
    expect(config['current-context']).toBe('team-a');
    expect(YAML.parse(kubeconfigYaml('u', 'c', []))['current-context']).toBe(
      '',
    );
  });
});
