import { ResponseError } from '@backstage/errors';
import { ModelMarketplaceClient } from './ModelMarketplaceClient';

describe('ModelMarketplaceClient', () => {
  const discoveryApi = {
    getBaseUrl: jest.fn(async (id: string) => `http://backend/api/${id}`),
  };

  function clientAnswering(status: number, body: unknown) {
    const fetch = jest.fn(
      async (_url: RequestInfo | URL, _init?: RequestInit) =>
        new Response(JSON.stringify(body), {
          status,
          statusText: status === 200 ? 'OK' : 'Conflict',
          headers: { 'Content-Type': 'application/json' },
        }),
    );
    return {
      fetch,
      client: new ModelMarketplaceClient({ discoveryApi, fetchApi: { fetch } }),
    };
  }

  it('encodes repeatable query parameters', async () => {
    const { client, fetch } = clientAnswering(200, {
      items: [],
      totalItems: 0,
      facets: {},
    });
    await client.listModels({ q: 'chat', type: ['llm', 'vision'], limit: 5 });
    expect(fetch.mock.calls[0][0]).toBe(
      'http://backend/api/model-marketplace/models?q=chat&type=llm&type=vision&limit=5',
    );
    expect(fetch.mock.calls[0][1]?.method).toBe('GET');
  });

  it('splits model refs into namespace and name', async () => {
    const { client, fetch } = clientAnswering(200, {});
    await client.getModel('model:default/whisper-large-v3');
    await client.getModel('bge-reranker-v2-m3');
    expect(fetch.mock.calls.map(c => c[0])).toEqual([
      'http://backend/api/model-marketplace/models/default/whisper-large-v3',
      'http://backend/api/model-marketplace/models/default/bge-reranker-v2-m3',
    ]);
  });

  it('sends JSON bodies and a token when given one', async () => {
    const { client, fetch } = clientAnswering(200, { id: 'x' });
    await client.decideRequest(
      'abc',
      { decision: 'approve', comment: 'ok' },
      { token: 'secret' },
    );
    const init = fetch.mock.calls[0][1]!;
    expect(fetch.mock.calls[0][0]).toBe(
      'http://backend/api/model-marketplace/requests/abc/decision',
    );
    expect(init.method).toBe('POST');
    expect(init.headers).toEqual({
      'Content-Type': 'application/json',
      Authorization: 'Bearer secret',
    });
    expect(JSON.parse(String(init.body))).toEqual({
      decision: 'approve',
      comment: 'ok',
    });
  });

  it('turns failures into ResponseError carrying the backend error', async () => {
    const { client } = clientAnswering(409, {
      error: { name: 'ConflictError', message: 'Request is already approved' },
      request: { method: 'POST', url: '/requests/abc/decision' },
      response: { statusCode: 409 },
    });
    const error = await client
      .decideRequest('abc', { decision: 'reject' })
      .catch(e => e);
    expect(error).toBeInstanceOf(ResponseError);
    expect(error.statusCode).toBe(409);
    expect(error.body.error.message).toBe('Request is already approved');
    expect(error.cause.message).toBe('Request is already approved');
  });

  it('reads, creates and updates deployment records by id', async () => {
    const { client, fetch } = clientAnswering(200, { id: 'd/1' });
    await client.getDeploymentRecord('d/1', { token: 't' });
    await client.updateDeploymentRecord('d/1', {
      status: 'deployed',
      actor: 'user:default/u',
    });
    expect(fetch.mock.calls.map(c => [c[1]?.method, c[0]])).toEqual([
      ['GET', 'http://backend/api/model-marketplace/deployments/d%2F1'],
      ['PATCH', 'http://backend/api/model-marketplace/deployments/d%2F1'],
    ]);
    expect(fetch.mock.calls[0][1]?.headers).toEqual({
      Authorization: 'Bearer t',
    });
  });
});
