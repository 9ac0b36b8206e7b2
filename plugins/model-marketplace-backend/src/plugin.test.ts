import { mockCredentials, mockServices } from '@backstage/backend-test-utils';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import request from 'supertest';
import { startMarketplace, users } from './__testUtils__/startMarketplace';
import { eventually } from './__testUtils__/eventually';

jest.setTimeout(60_000);

const { guest, marcus, jonas, amara, helen, priya, service } = users;

describe('model-marketplace plugin', () => {
  let server: any;
  let send: jest.Mock;
  beforeAll(async () => {
    ({ server, send } = await startMarketplace());
  });
  beforeEach(() => send.mockClear());

  const api = () => request(server);

  it('answers 401 without credentials', async () => {
    for (const [method, path] of [
      ['get', '/api/model-marketplace/models'],
      ['get', '/api/model-marketplace/requests'],
      ['post', '/api/model-marketplace/requests'],
      ['get', '/api/model-marketplace/deployments'],
    ] as const) {
      const res = await api()
        [method](path)
        .set('Authorization', mockCredentials.none.header());
      expect(res.status).toBe(401);
    }
    expect((await api().get('/api/model-marketplace/health')).status).toBe(200);
  });

  describe('GET /models', () => {
    it('lists the example models with facets that add up', async () => {
      const res = await api()
        .get('/api/model-marketplace/models?limit=100')
        .set('Authorization', guest);
      expect(res.status).toBe(200);
      expect(res.body.totalItems).toBe(18);
      expect(res.body.items).toHaveLength(18);
      for (const field of ['type', 'lifecycle', 'owner']) {
        const sum = res.body.facets[field].reduce(
          (n: number, v: any) => n + v.count,
          0,
        );
        expect(sum).toBe(18);
      }
      expect(res.body.nextCursor).toBeUndefined();
      expect(JSON.stringify(res.body).length).toBeLessThan(30_000);
    });

    it('finds a model by a word of its description', async () => {
      const res = await api()
        .get('/api/model-marketplace/models')
        .query({ q: 'summarisation' })
        .set('Authorization', guest);
      expect(res.status).toBe(200);
      expect(res.body.items.map((m: any) => m.name)).toContain(
        'llama-3-1-70b-instruct',
      );
    });

    it('ANDs facets, ORs values, counts a facet without its own filter', async () => {
      const res = await api()
        .get('/api/model-marketplace/models')
        .query('type=llm&type=embedding&owner=ml-platform')
        .set('Authorization', guest);
      expect(res.status).toBe(200);
      expect(res.body.items.length).toBeGreaterThan(0);
      for (const item of res.body.items) {
        expect(['llm', 'embedding']).toContain(item.type);
        expect(item.owner).toBe('group:default/ml-platform');
      }
      // owner counts ignore the owner filter: other owners still show
      expect(res.body.facets.owner.length).toBeGreaterThan(1);
      const typeCounts = Object.fromEntries(
        res.body.facets.type.map((v: any) => [v.value, v.count]),
      );
      expect(typeCounts.llm).toBe(
        res.body.totalItems - (typeCounts.embedding ?? 0),
      );
    });

    it('matches word prefixes', async () => {
      const res = await api()
        .get('/api/model-marketplace/models')
        .query({ q: 'rerank multiling' })
        .set('Authorization', guest);
      expect(res.body.items.map((m: any) => m.name)).toEqual(
        ['jina-reranker-v2-base-multilingual', 'bge-reranker-v2-m3'].filter(n =>
          res.body.items.some((m: any) => m.name === n),
        ),
      );
      expect(res.body.items.length).toBeGreaterThan(0);
    });

    it('accepts a form-encoded query and refs with reserved characters', async () => {
      // browsers and URLSearchParams send a space as '+'
      const res = await api()
        .get(
          '/api/model-marketplace/models?q=rerank+multiling&owner=group:default/team-search',
        )
        .set('Authorization', guest);
      expect(res.status).toBe(200);
      const requests = await api()
        .get(
          '/api/model-marketplace/requests?model=model:default/llama-3-1-8b-instruct',
        )
        .set('Authorization', guest);
      expect(requests.status).toBe(200);
    });

    it('pages with an opaque cursor', async () => {
      const first = await api()
        .get('/api/model-marketplace/models?limit=5&sort=name')
        .set('Authorization', guest);
      expect(first.body.items).toHaveLength(5);
      const second = await api()
        .get('/api/model-marketplace/models')
        .query({ limit: 5, sort: 'name', cursor: first.body.nextCursor })
        .set('Authorization', guest);
      expect(second.status).toBe(200);
      expect(second.body.items[0].ref).not.toBe(first.body.items[0].ref);
      const other = await api()
        .get('/api/model-marketplace/models')
        .query({ limit: 5, sort: 'popular', cursor: first.body.nextCursor })
        .set('Authorization', guest);
      expect(other.status).toBe(400);
    });

    it.each([
      ['foo=bar', "unknown parameter 'foo'"],
      ['limit=0', 'limit'],
      ['limit=101', 'limit'],
      ['limit=abc', 'limit'],
      ['sort=random', 'sort'],
      ['cursor=garbage', 'Invalid cursor'],
    ])('answers 400 for %s', async (query, message) => {
      const res = await api()
        .get(`/api/model-marketplace/models?${query}`)
        .set('Authorization', guest);
      expect(res.status).toBe(400);
      expect(res.body.error.message).toContain(message);
    });

    it('returns one model with counts and what the viewer may do', async () => {
      const res = await api()
        .get('/api/model-marketplace/models/default/llama-3-1-70b-instruct')
        .set('Authorization', guest);
      expect(res.status).toBe(200);
      expect(res.body.approvers).toEqual(['group:default/ai-governance']);
      expect(res.body.viewer).toEqual({
        teams: ['group:default/team-assistants'],
        canRequest: true,
        isApprover: false,
        // nothing approved yet, so no team may deploy it and the reason says why
        deploy: {
          teams: [],
          reason:
            'None of your teams has an approved request for this model; request it for your team first',
        },
      });
      expect(res.body.requestCounts.pending).toBe(0);
      expect(
        (
          await api()
            .get('/api/model-marketplace/models/default/nope')
            .set('Authorization', guest)
        ).status,
      ).toBe(404);
    });
  });

  describe('GET /metrics', () => {
    it('lists reported metrics with their declared label, unit and direction', async () => {
      const res = await api()
        .get('/api/model-marketplace/metrics')
        .set('Authorization', guest);
      expect(res.status).toBe(200);
      const latency = res.body.items.find(
        (m: any) => m.name === 'p95_latency_ms',
      );
      expect(latency).toEqual({
        name: 'p95_latency_ms',
        label: 'p95 latency',
        unit: 'ms',
        direction: 'lower',
        models: 2,
      });
      const mteb = res.body.items.find((m: any) => m.name === 'mteb_avg');
      expect(mteb.direction).toBeUndefined();
      expect(mteb.models).toBeGreaterThan(0);
    });

    it('ranks the models reporting a metric by its declared direction', async () => {
      const res = await api()
        .get('/api/model-marketplace/metrics/p95_latency_ms')
        .set('Authorization', guest);
      expect(res.status).toBe(200);
      expect(res.body.metric).toMatchObject({
        label: 'p95 latency',
        direction: 'lower',
        unit: 'ms',
      });
      // default versions: jina 39 ms, bge-reranker 81 ms; lower is better
      expect(
        res.body.items.map((i: any) => [
          i.model.name,
          i.version,
          i.value,
          i.rank,
        ]),
      ).toEqual([
        ['jina-reranker-v2-base-multilingual', expect.any(String), 39, 1],
        ['bge-reranker-v2-m3', '2.0.1-acme', 81, 2],
      ]);

      const mmlu = await api()
        .get('/api/model-marketplace/metrics/mmlu')
        .set('Authorization', guest);
      const values = mmlu.body.items.map((i: any) => i.value);
      expect(values).toEqual([...values].sort((a, b) => b - a));
      expect(mmlu.body.items[0]).toMatchObject({
        rank: 1,
        dataset: 'cais/mmlu',
      });
    });

    it('does not rank a metric without a declared direction', async () => {
      const res = await api()
        .get('/api/model-marketplace/metrics/mteb_avg')
        .set('Authorization', guest);
      expect(res.status).toBe(200);
      expect(res.body.metric.unrankedReason).toBe('no direction is declared');
      expect(res.body.items.length).toBeGreaterThan(0);
      for (const item of res.body.items) {
        expect(item.rank).toBeUndefined();
      }
    });

    it('answers 404 for a metric nobody reports and 401 without credentials', async () => {
      const res = await api()
        .get('/api/model-marketplace/metrics/no_such_metric')
        .set('Authorization', guest);
      expect(res.status).toBe(404);
      expect(res.body.error.message).toContain('no_such_metric');
      expect(
        (
          await api()
            .get('/api/model-marketplace/metrics/mmlu')
            .set('Authorization', mockCredentials.none.header())
        ).status,
      ).toBe(401);
    });
  });

  describe('requests', () => {
    const create = (auth: string, body: object) =>
      api()
        .post('/api/model-marketplace/requests')
        .set('Authorization', auth)
        .send(body);

    it('auto-approves requests for open models', async () => {
      const res = await create(guest, {
        model: 'distilbert-ticket-router',
        team: 'team-assistants',
        purpose: 'Drafting replies',
      });
      expect(res.status).toBe(201);
      expect(res.body.status).toBe('approved');
      expect(send).not.toHaveBeenCalled();
      const read = await api()
        .get(`/api/model-marketplace/requests/${res.body.id}`)
        .set('Authorization', guest);
      expect(read.body.timeline.map((t: any) => t.toStatus)).toEqual([
        'pending',
        'approved',
      ]);
    });

    it('refuses restricted models to teams outside allowedGroups', async () => {
      const res = await create(priya, {
        model: 'model:default/llama-3-1-70b-instruct',
        team: 'group:default/team-vision',
        purpose: 'Long summaries',
      });
      expect(res.status).toBe(403);
      expect(res.body.error.message).toContain('restricted');
      const allowed = await create(guest, {
        model: 'model:default/llama-3-1-70b-instruct',
        team: 'group:default/team-assistants',
        purpose: 'Long summaries',
      });
      expect(allowed.status).toBe(201);
      expect(allowed.body.status).toBe('pending');
    });

    it('refuses a team the requester is not a member of', async () => {
      const res = await create(guest, {
        model: 'llama-3-1-8b-instruct',
        team: 'team-search',
        purpose: 'x',
      });
      expect(res.status).toBe(403);
    });

    it.each([
      [{}, "'model'"],
      [
        { model: 'llama-3-1-8b-instruct', team: 'team-assistants' },
        "'purpose'",
      ],
      [
        {
          model: 'llama-3-1-8b-instruct',
          team: 'team-assistants',
          purpose: '  ',
        },
        "'purpose'",
      ],
      [
        {
          model: 'llama-3-1-8b-instruct',
          team: 'team-assistants',
          purpose: 'x',
          extra: 1,
        },
        "unknown field 'extra'",
      ],
      [
        {
          model: 'llama-3-1-8b-instruct',
          team: 'team-assistants',
          purpose: 'x',
          version: '9.9',
        },
        "no version '9.9'",
      ],
      [
        { model: 'component:default/x', team: 'team-assistants', purpose: 'x' },
        'not a model reference',
      ],
      [
        {
          model: 'llama-3-1-8b-instruct',
          team: 'user:default/guest',
          purpose: 'x',
        },
        'not a group',
      ],
      [{ model: 42, team: 'team-assistants', purpose: 'x' }, 'body/model'],
    ])('answers 400 for the body %j', async (body, message) => {
      const res = await create(guest, body);
      expect(res.status).toBe(400);
      expect(res.body.error.message).toContain(message);
    });

    it('runs the approval workflow: notify approvers, 403 for others, 409 twice', async () => {
      const res = await create(guest, {
        model: 'llama-3-1-8b-instruct',
        team: 'team-assistants',
        purpose: 'Support copilot',
      });
      expect(res.status).toBe(201);
      expect(res.body.status).toBe('pending');
      const id = res.body.id;
      await eventually(() =>
        expect(send).toHaveBeenCalledWith(
          expect.objectContaining({
            recipients: expect.objectContaining({
              entityRef: ['group:default/ml-platform'],
            }),
          }),
        ),
      );

      const decide = (auth: string, body: object) =>
        api()
          .post(`/api/model-marketplace/requests/${id}/decision`)
          .set('Authorization', auth)
          .send(body);

      expect((await decide(helen, { decision: 'approve' })).status).toBe(403);
      expect((await decide(guest, { decision: 'approve' })).status).toBe(403);
      const bad = await decide(jonas, { decision: 'maybe' });
      expect(bad.status).toBe(400);
      expect(bad.body.error.message).toContain('decision');

      const asApprover = await api()
        .get('/api/model-marketplace/requests?role=approver&status=pending')
        .set('Authorization', jonas);
      expect(asApprover.body.items.map((r: any) => r.id)).toContain(id);

      send.mockClear();
      const ok = await decide(jonas, {
        decision: 'approve',
        comment: 'Go ahead',
      });
      expect(ok.status).toBe(200);
      expect(ok.body).toMatchObject({
        status: 'approved',
        decidedBy: 'user:default/jonas.weber',
      });
      await eventually(() =>
        expect(send).toHaveBeenCalledWith(
          expect.objectContaining({
            recipients: expect.objectContaining({
              entityRef: ['user:default/guest'],
            }),
          }),
        ),
      );
      const again = await decide(amara, { decision: 'reject' });
      expect(again.status).toBe(409);

      const read = await api()
        .get(`/api/model-marketplace/requests/${id}`)
        .set('Authorization', guest);
      expect(read.body.timeline).toEqual([
        expect.objectContaining({
          action: 'created',
          actor: 'user:default/guest',
        }),
        expect.objectContaining({
          action: 'approved',
          actor: 'user:default/jonas.weber',
          comment: 'Go ahead',
        }),
      ]);
      // not related to the request: not found
      expect(
        (
          await api()
            .get(`/api/model-marketplace/requests/${id}`)
            .set('Authorization', priya)
        ).status,
      ).toBe(404);
    });

    it('lets exactly one of two concurrent decisions win', async () => {
      const { body } = await create(guest, {
        model: 'qwen2-vl-7b-instruct',
        team: 'team-assistants',
        purpose: 'Race',
      });
      const results = await Promise.all(
        [
          [jonas, 'approve'],
          [amara, 'reject'],
        ].map(([auth, decision]) =>
          api()
            .post(`/api/model-marketplace/requests/${body.id}/decision`)
            .set('Authorization', auth)
            .send({ decision }),
        ),
      );
      expect(results.map(r => r.status).sort()).toEqual([200, 409]);
      const read = await api()
        .get(`/api/model-marketplace/requests/${body.id}`)
        .set('Authorization', guest);
      expect(read.body.timeline).toHaveLength(2);
    });

    it('lets only the requester cancel, only while pending', async () => {
      const { body } = await create(guest, {
        model: 'lightgbm-demand-forecast',
        team: 'team-assistants',
        purpose: 'Cancel me',
      });
      const cancel = (auth: string) =>
        api()
          .post(`/api/model-marketplace/requests/${body.id}/cancel`)
          .set('Authorization', auth)
          .send({});
      expect((await cancel(marcus)).status).toBe(403);
      const ok = await cancel(guest);
      expect(ok.status).toBe(200);
      expect(ok.body.status).toBe('cancelled');
      expect((await cancel(guest)).status).toBe(409);
      expect(
        (
          await api()
            .post('/api/model-marketplace/requests/nope/cancel')
            .set('Authorization', guest)
            .send({})
        ).status,
      ).toBe(404);
    });

    it('lists by role and filters, and answers 400 for bad filters', async () => {
      const mine = await api()
        .get('/api/model-marketplace/requests?role=requester')
        .set('Authorization', guest);
      expect(mine.status).toBe(200);
      expect(
        mine.body.items.every((r: any) => r.requester === 'user:default/guest'),
      ).toBe(true);
      const bad = await api()
        .get('/api/model-marketplace/requests?status=done')
        .set('Authorization', guest);
      expect(bad.status).toBe(400);
      expect(bad.body.error.message).toContain('status');
      const unknown = await api()
        .get('/api/model-marketplace/requests?color=red')
        .set('Authorization', guest);
      expect(unknown.status).toBe(400);
    });
  });

  describe('deployments', () => {
    const record = (requestId?: string) => ({
      model: 'model:default/mistral-7b-instruct',
      version: '0.3.0',
      team: 'group:default/team-assistants',
      cluster: 'sandbox',
      namespace: 'team-assistants',
      objects: [
        {
          apiVersion: 'apps/v1',
          kind: 'Deployment',
          namespace: 'team-assistants',
          name: 'mistral',
        },
      ],
      status: 'deployed',
      deployedBy: 'user:default/guest',
      ...(requestId ? { requestId } : {}),
    });

    it('accepts records only from services and moves the request along', async () => {
      const created = await api()
        .post('/api/model-marketplace/requests')
        .set('Authorization', guest)
        .send({
          model: 'mistral-7b-instruct',
          team: 'team-assistants',
          purpose: 'Deploy',
        });
      expect(created.body.status).toBe('approved');

      const approved = await api()
        .get('/api/model-marketplace/requests')
        .query({
          model: 'mistral-7b-instruct',
          team: 'team-assistants',
          status: 'approved',
        })
        .set('Authorization', service);
      expect(approved.status).toBe(200);
      expect(approved.body.items.map((r: any) => r.id)).toContain(
        created.body.id,
      );

      const asUser = await api()
        .post('/api/model-marketplace/deployments')
        .set('Authorization', guest)
        .send(record(created.body.id));
      expect(asUser.status).toBe(403);

      const badBody = await api()
        .post('/api/model-marketplace/deployments')
        .set('Authorization', service)
        .send({ ...record(), status: 'exploded' });
      expect(badBody.status).toBe(400);

      send.mockClear();
      const res = await api()
        .post('/api/model-marketplace/deployments')
        .set('Authorization', service)
        .send(record(created.body.id));
      expect(res.status).toBe(201);
      expect(res.body).toMatchObject({
        status: 'deployed',
        requestId: created.body.id,
      });
      await eventually(() =>
        expect(send).toHaveBeenCalledWith(
          expect.objectContaining({
            recipients: expect.objectContaining({
              entityRef: ['group:default/team-assistants'],
            }),
          }),
        ),
      );
      let read = await api()
        .get(`/api/model-marketplace/requests/${created.body.id}`)
        .set('Authorization', guest);
      expect(read.body.status).toBe('deployed');

      const patchAsUser = await api()
        .patch(`/api/model-marketplace/deployments/${res.body.id}`)
        .set('Authorization', guest)
        .send({ status: 'undeployed', actor: 'user:default/guest' });
      expect(patchAsUser.status).toBe(403);
      const patched = await api()
        .patch(`/api/model-marketplace/deployments/${res.body.id}`)
        .set('Authorization', service)
        .send({ status: 'undeployed', actor: 'user:default/guest' });
      expect(patched.status).toBe(200);
      read = await api()
        .get(`/api/model-marketplace/requests/${created.body.id}`)
        .set('Authorization', guest);
      expect(read.body.status).toBe('retired');
      expect(read.body.timeline.map((t: any) => t.action)).toEqual([
        'created',
        'approved',
        'deployed',
        'retired',
      ]);
      expect(
        (
          await api()
            .patch('/api/model-marketplace/deployments/nope')
            .set('Authorization', service)
            .send({ status: 'failed', actor: 'user:default/guest' })
        ).status,
      ).toBe(404);
    });

    it('filters GET /deployments by model, team and status', async () => {
      await api()
        .post('/api/model-marketplace/deployments')
        .set('Authorization', service)
        .send({ ...record(), model: 'bge-large-en-v1-5', team: 'team-search' });
      const byTeam = await api()
        .get('/api/model-marketplace/deployments?team=team-search')
        .set('Authorization', guest);
      expect(byTeam.status).toBe(200);
      expect(byTeam.body.items).toHaveLength(1);
      expect(byTeam.body.items[0].model).toBe(
        'model:default/bge-large-en-v1-5',
      );
      const byModel = await api()
        .get('/api/model-marketplace/deployments')
        .query({
          model: 'model:default/mistral-7b-instruct',
          status: 'undeployed',
        })
        .set('Authorization', guest);
      expect(
        byModel.body.items.every((d: any) => d.status === 'undeployed'),
      ).toBe(true);
      const none = await api()
        .get('/api/model-marketplace/deployments?model=clip-vit-l-14')
        .set('Authorization', guest);
      expect(none.body.items).toEqual([]);
      const bad = await api()
        .get('/api/model-marketplace/deployments?status=gone')
        .set('Authorization', guest);
      expect(bad.status).toBe(400);
    });
  });
});

describe('model-marketplace plugin with a conditional catalog policy', () => {
  it('shows only the models the catalog lets the user read', async () => {
    const permissions = mockServices.permissions.mock({
      authorize: async requests =>
        requests.map(() => ({ result: AuthorizeResult.ALLOW })),
      authorizeConditional: async requests =>
        requests.map(r =>
          r.permission.name === 'catalog.entity.read'
            ? {
                result: AuthorizeResult.CONDITIONAL,
                pluginId: 'catalog',
                resourceType: 'catalog-entity',
                conditions: {
                  anyOf: [
                    {
                      rule: 'IS_ENTITY_OWNER',
                      resourceType: 'catalog-entity',
                      params: { claims: ['group:default/team-search'] },
                    },
                    {
                      allOf: [
                        {
                          rule: 'HAS_SPEC',
                          resourceType: 'catalog-entity',
                          params: { key: 'type', value: 'LLM' },
                        },
                        {
                          not: {
                            rule: 'HAS_METADATA',
                            resourceType: 'catalog-entity',
                            params: { key: 'tags', value: 'meta' },
                          },
                        },
                      ],
                    },
                    {
                      rule: 'SOME_UNKNOWN_RULE',
                      resourceType: 'catalog-entity',
                      params: {},
                    },
                  ],
                },
              }
            : { result: AuthorizeResult.ALLOW },
        ) as any,
    });
    const { server } = await startMarketplace({
      features: [permissions.factory],
    });
    const res = await request(server)
      .get('/api/model-marketplace/models?limit=100')
      .set('Authorization', guest);
    expect(res.status).toBe(200);
    const items = res.body.items as Array<{
      owner: string;
      type: string;
      tags: string[];
    }>;
    expect(items.length).toBeGreaterThan(0);
    for (const item of items) {
      const ownedBySearch = item.owner === 'group:default/team-search';
      const nonMetaLlm = item.type === 'llm' && !item.tags.includes('meta');
      expect(ownedBySearch || nonMetaLlm).toBe(true);
    }
    expect(items.some(i => i.owner === 'group:default/team-vision')).toBe(
      false,
    );
    expect(
      (
        await request(server)
          .get('/api/model-marketplace/models/default/clip-vit-l-14')
          .set('Authorization', guest)
      ).status,
    ).toBe(404);
  });
});
