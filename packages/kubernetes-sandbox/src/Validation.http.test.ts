import https from 'node:https';
import { startKubernetesSandbox } from './startKubernetesSandbox';
import { KubernetesSandbox } from './types';
import { deployment } from './__testUtils__/clients';

/*
 * Objects the sandbox refuses, as the API server does: 422 Invalid with one
 * cause per field at fault, and nothing stored.
 */

describe('sandbox validation over HTTPS', () => {
  let sandbox: KubernetesSandbox;

  beforeAll(async () => {
    sandbox = await startKubernetesSandbox({
      tokens: { t: ['ns'] },
      namespaces: ['ns'],
      rolloutDelayMs: 60_000,
    });
  });

  afterAll(async () => {
    await sandbox.close();
  });

  function post(
    path: string,
    body: unknown,
  ): Promise<{ status: number; body: any }> {
    const text = JSON.stringify(body);
    return new Promise((resolve, reject) => {
      const req = https.request(
        `${sandbox.url}${path}`,
        {
          method: 'POST',
          ca: Buffer.from(sandbox.caData, 'base64'),
          headers: {
            Authorization: 'Bearer t',
            'Content-Type': 'application/json',
            'Content-Length': String(Buffer.byteLength(text)),
          },
        },
        res => {
          const chunks: Buffer[] = [];
          res.on('data', c => chunks.push(c));
          res.on('end', () =>
            resolve({
              status: res.statusCode ?? 0,
              body: JSON.parse(Buffer.concat(chunks).toString('utf8')),
            }),
          );
        },
      );
      req.on('error', reject);
      req.end(text);
    });
  }

  /** The `field: message` pairs of a refusal. */
  async function refusal(path: string, body: unknown): Promise<string[]> {
    const res = await post(path, body);
    expect(res.status).toBe(422);
    expect(res.body).toMatchObject({ kind: 'Status', reason: 'Invalid' });
    return res.body.details.causes.map((c: any) => `${c.field}: ${c.message}`);
  }

  const deployments = '/apis/apps/v1/namespaces/ns/deployments';
  const services = '/api/v1/namespaces/ns/services';

  it('names each wrong field of a Deployment', async () => {
    const bad = deployment('Bad_Name', 'ns', -1);
    (bad.metadata as any).labels = { 'not a key!': 'x', ok: 7 };
    (bad.spec.template.spec.containers as any) = [{ name: '', image: '' }];
    bad.spec.template.metadata.labels = { app: 'other' };
    const causes = await refusal(deployments, bad);
    expect(causes).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^metadata\.name: Invalid value: "Bad_Name"/),
        expect.stringMatching(/^metadata\.labels: Invalid value: "not a key!"/),
        expect.stringMatching(/^metadata\.labels: Invalid value: /),
        'spec.template.metadata.labels: Invalid value: selector does not match template labels',
        expect.stringMatching(/^spec\.replicas: Invalid value: -1/),
        'spec.template.spec.containers[0].name: Required value: a DNS-1123 label',
        'spec.template.spec.containers[0].image: Required value',
      ]),
    );
    expect(sandbox.getObject('apps/v1', 'Deployment', 'ns', 'Bad_Name')).toBe(
      undefined,
    );
  });

  it('requires a name, a selector and containers', async () => {
    const causes = await refusal(deployments, {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { labels: 'app=x' },
      spec: { template: { spec: {} } },
    });
    expect(causes).toEqual(
      expect.arrayContaining([
        'metadata.name: Required value: name or generateName is required',
        'metadata.labels: must be a map of strings',
        'spec.selector: Required value',
        'spec.template.spec.containers: Required value',
      ]),
    );
  });

  it('names the ports of a Service and the predictor of an InferenceService', async () => {
    expect(
      await refusal(services, {
        apiVersion: 'v1',
        kind: 'Service',
        metadata: { name: 'svc' },
        spec: { ports: [{ port: 0 }, { port: 70000 }] },
      }),
    ).toEqual([
      'spec.ports[0].port: Invalid value: 0: must be between 1 and 65535, inclusive',
      'spec.ports[1].port: Invalid value: 70000: must be between 1 and 65535, inclusive',
    ]);
    expect(
      await refusal(services, {
        apiVersion: 'v1',
        kind: 'Service',
        metadata: { name: 'svc' },
        spec: {},
      }),
    ).toEqual(['spec.ports: Required value']);
    expect(
      await refusal(
        '/apis/serving.kserve.io/v1beta1/namespaces/ns/inferenceservices',
        {
          apiVersion: 'serving.kserve.io/v1beta1',
          kind: 'InferenceService',
          metadata: { name: 'isvc' },
          spec: {},
        },
      ),
    ).toEqual(['spec.predictor: Required value']);
  });
});
