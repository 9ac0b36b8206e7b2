import { mockServices } from '@backstage/backend-test-utils';
import { createServer, Server } from 'node:http';
import { AddressInfo } from 'node:net';
import { MarketplaceGateway } from './MarketplaceGateway';

describe('MarketplaceGateway', () => {
  let server: Server;
  let baseUrl: string;
  const seen: Array<{
    method: string;
    url: string;
    auth?: string;
    body?: any;
  }> = [];

  beforeAll(async () => {
    server = createServer((req, res) => {
      let body = '';
      req.on('data', c => (body += c));
      req.on('end', () => {
        seen.push({
          method: req.method!,
          url: req.url!,
          auth: req.headers.authorization,
          body: body ? JSON.parse(body) : undefined,
        });
        res.setHeader('Content-Type', 'application/json');
        const url = new URL(req.url!, 'http://x');
        if (req.method === 'GET' && url.pathname.endsWith('/requests')) {
          const status = url.searchParams.get('status');
          res.end(
            JSON.stringify({
              items:
                status === 'deployed'
                  ? [
                      {
                        id: 'r1',
                        status: 'deployed',
                        model: url.searchParams.get('model'),
                        team: url.searchParams.get('team'),
                      },
                    ]
                  : [],
            }),
          );
        } else if (
          req.method === 'GET' &&
          url.pathname.endsWith('/deployments')
        ) {
          const at = (id: string, cluster: string, ns: string, v: string) => ({
            id,
            model: url.searchParams.get('model'),
            team: url.searchParams.get('team'),
            cluster,
            namespace: ns,
            version: v,
          });
          res.end(
            JSON.stringify({
              items: [
                at('d1', 'c1', 'team-a', '1'),
                at('d2', 'c1', 'team-a', '2'),
                at('d3', 'c2', 'team-a', '1'),
                at('d4', 'c1', 'team-b', '1'),
              ],
            }),
          );
        } else if (req.method === 'GET' && url.pathname.includes('broken')) {
          res.statusCode = 500;
          res.end(
            JSON.stringify({ error: { name: 'Error', message: 'db down' } }),
          );
        } else if (req.method === 'POST') {
          res.statusCode = 201;
          res.end(JSON.stringify({ id: 'd1' }));
        } else if (req.method === 'PATCH') {
          res.end(JSON.stringify({ id: 'd1' }));
        } else {
          res.statusCode = 404;
          res.end(
            JSON.stringify({ error: { name: 'NotFoundError', message: 'no' } }),
          );
        }
      });
    });
    await new Promise<void>(r => server.listen(0, '127.0.0.1', r));
    baseUrl = `http://127.0.0.1:${
      (server.address() as AddressInfo).port
    }/api/model-marketplace`;
  });

  afterAll(() => new Promise(r => server.close(r)));

  const gateway = () =>
    MarketplaceGateway.create({
      auth: mockServices.auth(),
      discovery: {
        getBaseUrl: async () => baseUrl,
        getExternalBaseUrl: async () => baseUrl,
      },
    });

  it('asks for approvals and records deployments with service credentials', async () => {
    const client = gateway();
    await expect(
      client.findApprovedRequest({
        model: 'model:default/m',
        team: 'group:default/t',
        version: '1',
      }),
    ).resolves.toEqual({ id: 'r1' });
    await expect(
      client.create({
        model: 'model:default/m',
        version: '1',
        team: 'group:default/t',
        cluster: 'c',
        namespace: 'n',
        objects: [],
        status: 'deploying',
        deployedBy: 'user:default/u',
      }),
    ).resolves.toEqual({ id: 'd1' });
    await client.update('d1', { status: 'deployed', actor: 'user:default/u' });
    expect(seen.map(s => `${s.method} ${s.url.split('?')[0]}`)).toEqual([
      'GET /api/model-marketplace/requests',
      'GET /api/model-marketplace/requests',
      'POST /api/model-marketplace/deployments',
      'PATCH /api/model-marketplace/deployments/d1',
    ]);
    expect(seen.every(s => s.auth?.startsWith('Bearer '))).toBe(true);
    expect(seen[3].body).toEqual({
      status: 'deployed',
      actor: 'user:default/u',
    });
  });

  it('reads a deployment that is not there as undefined', async () => {
    const client = gateway();
    seen.length = 0;
    await expect(client.get('gone/1')).resolves.toBeUndefined();
    expect(seen.map(s => `${s.method} ${s.url}`)).toEqual([
      'GET /api/model-marketplace/deployments/gone%2F1',
    ]);
    expect(seen[0].auth).toMatch(/^Bearer /);
  });

  it('answers a failure other than not-found with the error', async () => {
    await expect(gateway().get('broken')).rejects.toThrow(/500/);
  });

  it('finds the deployments of a model and team in one cluster and namespace', async () => {
    const client = gateway();
    seen.length = 0;
    const query = {
      model: 'model:default/m',
      team: 'group:default/t',
      cluster: 'c1',
      namespace: 'team-a',
    };
    const ids = async (q: typeof query & { version?: string }) =>
      (await client.find(q)).map(d => d.id);
    await expect(ids(query)).resolves.toEqual(['d1', 'd2']);
    await expect(ids({ ...query, version: '2' })).resolves.toEqual(['d2']);
    await expect(ids({ ...query, namespace: 'team-c' })).resolves.toEqual([]);
    const asked = new URL(seen[0].url, 'http://x');
    expect(asked.pathname).toBe('/api/model-marketplace/deployments');
    expect(asked.searchParams.get('model')).toBe('model:default/m');
    expect(asked.searchParams.get('team')).toBe('group:default/t');
  });

  it('finds no revocation where the service lists none revoked', async () => {
    const client = gateway();
    const query = {
      model: 'model:default/m',
      team: 'group:default/t',
      version: '1',
    };
    await expect(client.findRevokedRequest(query)).resolves.toBeUndefined();
  });
});
