import { ModelMarketplaceClient } from './ModelMarketplaceClient';

/*
 * Every client method against the route the backend serves it on
 * (src/schema/openapi.yaml of the backend): method, path, query and body,
 * and how the answer is read (JSON, or text for the model card and the
 * access list).
 */

const base = 'http://backend/api/model-marketplace';
const discoveryApi = {
  getBaseUrl: async (id: string) => `http://backend/api/${id}`,
};

type Call = { method?: string; url: string; body?: unknown };

function recordingClient(answer: (url: string) => Response) {
  const calls: Call[] = [];
  const fetch = async (url: RequestInfo | URL, init?: RequestInit) => {
    calls.push({
      method: init?.method,
      url: String(url),
      body:
        init?.body === undefined ? undefined : JSON.parse(String(init.body)),
    });
    return answer(String(url));
  };
  return {
    calls,
    client: new ModelMarketplaceClient({ discoveryApi, fetchApi: { fetch } }),
  };
}

const json = (body: unknown) =>
  new Response(JSON.stringify(body), {
    status: 200,
    headers: { 'Content-Type': 'application/json' },
  });

describe('ModelMarketplaceClient routes', () => {
  it('sends each call to its route', async () => {
    const { client, calls } = recordingClient(() => json({ ok: true }));
    await client.listModels();
    await client.listMetrics();
    await client.getMetricBenchmark('p95 latency/ms');
    await client.createRequest({
      model: 'model:default/m',
      team: 'team-a',
      purpose: 'Evaluate',
    });
    await client.listRequests();
    await client.listRequests({ status: 'pending', mine: true } as any);
    await client.getRequest('r/1');
    await client.cancelRequest('r1');
    await client.revokeRequest('r1', { reason: 'Licence ended' });
    await client.getModelUsage('model:ml/bge-m3');
    await client.listDeployments({ model: 'model:default/m', team: '' });
    await client.createDeploymentRecord({ model: 'model:default/m' } as any);

    expect(calls).toEqual([
      { method: 'GET', url: `${base}/models` },
      { method: 'GET', url: `${base}/metrics` },
      { method: 'GET', url: `${base}/metrics/p95%20latency%2Fms` },
      {
        method: 'POST',
        url: `${base}/requests`,
        body: { model: 'model:default/m', team: 'team-a', purpose: 'Evaluate' },
      },
      { method: 'GET', url: `${base}/requests` },
      { method: 'GET', url: `${base}/requests?status=pending&mine=true` },
      { method: 'GET', url: `${base}/requests/r%2F1` },
      { method: 'POST', url: `${base}/requests/r1/cancel`, body: {} },
      {
        method: 'POST',
        url: `${base}/requests/r1/revoke`,
        body: { reason: 'Licence ended' },
      },
      { method: 'GET', url: `${base}/models/ml/bge-m3/usage` },
      // empty values are left out of the query
      { method: 'GET', url: `${base}/deployments?model=model%3Adefault%2Fm` },
      {
        method: 'POST',
        url: `${base}/deployments`,
        body: { model: 'model:default/m' },
      },
    ]);
  });

  it('reads the model card and the access list as text', async () => {
    const { client, calls } = recordingClient(url =>
      url.includes('/card')
        ? new Response('# Whisper\n\nTranscribes calls.')
        : new Response('id,team\nr1,team-a\n'),
    );
    expect(await client.getModelCard('whisper-large-v3')).toBe(
      '# Whisper\n\nTranscribes calls.',
    );
    expect(
      await client.exportAccessList('model:speech/whisper-large-v3', 'csv'),
    ).toBe('id,team\nr1,team-a\n');
    expect(calls.map(c => c.url)).toEqual([
      `${base}/models/default/whisper-large-v3/card`,
      `${base}/models/speech/whisper-large-v3/access-list?format=csv`,
    ]);
  });

  it("uses the platform's fetch when given no fetch API", async () => {
    const realFetch = globalThis.fetch;
    const urls: string[] = [];
    globalThis.fetch = async (url: RequestInfo | URL) => {
      urls.push(String(url));
      return json({ items: [], totalItems: 0, facets: {} });
    };
    try {
      const client = new ModelMarketplaceClient({ discoveryApi });
      expect(await client.listModels({ q: 'whisper' })).toEqual({
        items: [],
        totalItems: 0,
        facets: {},
      });
    } finally {
      globalThis.fetch = realFetch;
    }
    expect(urls).toEqual([`${base}/models?q=whisper`]);
  });
});
