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
});
