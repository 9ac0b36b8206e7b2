import * as k8s from '@kubernetes/client-node';
import { startKubernetesSandbox } from './startKubernetesSandbox';
import { KubernetesSandbox } from './types';
import { errorOf, kubeConfigFor } from './__testUtils__/clients';

describe('fault injection', () => {
  let sandbox: KubernetesSandbox;
  let core: k8s.CoreV1Api;

  beforeAll(async () => {
    sandbox = await startKubernetesSandbox({
      tokens: { t: ['ns'] },
      namespaces: ['ns'],
    });
    core = kubeConfigFor(sandbox, 't').makeApiClient(k8s.CoreV1Api);
  });

  afterAll(async () => {
    await sandbox.close();
  });

  const list = () => core.listNamespacedService({ namespace: 'ns' });

  it('answers 429 with Retry-After for the next N calls', async () => {
    sandbox.injectFaults({ kind: '429', count: 2, retryAfterSeconds: 3 });
    for (let i = 0; i < 2; i++) {
      const e = await errorOf(list);
      expect(e.code).toBe(429);
      expect(e.headers['retry-after']).toBe('3');
      expect(JSON.parse(e.body)).toMatchObject({
        kind: 'Status',
        reason: 'TooManyRequests',
        code: 429,
        details: { retryAfterSeconds: 3 },
      });
    }
    await expect(list()).resolves.toBeDefined();
  });

  it('answers 500 InternalError', async () => {
    sandbox.injectFaults({ kind: '500', count: 1 });
    const e = await errorOf(list);
    expect(e.code).toBe(500);
    expect(JSON.parse(e.body).reason).toBe('InternalError');
    await expect(list()).resolves.toBeDefined();
  });

  it('resets the connection', async () => {
    sandbox.injectFaults({ kind: 'reset', count: 1 });
    const e = await errorOf(list);
    expect(`${e.code} ${e.message}`).toMatch(/ECONNRESET|socket hang up/);
    await expect(list()).resolves.toBeDefined();
  });

  it('delays answers, and only the matching ones', async () => {
    sandbox.injectFaults({
      kind: 'slow',
      count: 1,
      delayMs: 300,
      match: { method: 'POST', pathIncludes: '/services' },
    });
    let started = Date.now();
    await list();
    expect(Date.now() - started).toBeLessThan(250);
    started = Date.now();
    await core.createNamespacedService({
      namespace: 'ns',
      body: { metadata: { name: 'slow' }, spec: { ports: [{ port: 80 }] } },
    });
    expect(Date.now() - started).toBeGreaterThanOrEqual(290);
  });

  it('logs every request, faulted or not, without tokens', async () => {
    sandbox.clearRequestLog();
    sandbox.injectFaults({ kind: '500', count: 1 });
    await errorOf(list);
    await list();
    expect(sandbox.requestLog.map(r => [r.method, r.path, r.status])).toEqual([
      ['GET', '/api/v1/namespaces/ns/services', 500],
      ['GET', '/api/v1/namespaces/ns/services', 200],
    ]);
    expect(sandbox.requestLog[1].token).toBe('token#1');
  });
});
