import { actionsRegistryServiceFactory } from '@backstage/backend-defaults/alpha';
import {
  coreServices,
  createServiceFactory,
} from '@backstage/backend-plugin-api';
import {
  mockCredentials,
  startTestBackend,
} from '@backstage/backend-test-utils';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { notificationService } from '@backstage/plugin-notifications-node';
import request from 'supertest';
import { modelMarketplacePlugin } from '../plugin';
import { loadExampleEntities } from '../__testUtils__/exampleEntities';

jest.setTimeout(60_000);

const marcus = mockCredentials.user.header('user:default/marcus.bell'); // team-assistants
const lena = mockCredentials.user.header('user:default/lena.hoffmann'); // team-assistants
const jonas = mockCredentials.user.header('user:default/jonas.weber'); // ml-platform

type AuditRecord = {
  eventId: string;
  meta?: unknown;
  actor?: string;
  outcome?: 'success' | 'fail';
};

/** An auditor that keeps what it is told, with the caller of each event. */
function recordingAuditor(records: AuditRecord[]) {
  return createServiceFactory({
    service: coreServices.auditor,
    deps: { httpAuth: coreServices.httpAuth, auth: coreServices.auth },
    factory: ({ httpAuth, auth }) => ({
      async createEvent(options) {
        const credentials = options.request
          ? await httpAuth.credentials(options.request)
          : undefined;
        const record: AuditRecord = {
          eventId: options.eventId,
          meta: options.meta,
          actor:
            credentials && auth.isPrincipal(credentials, 'user')
              ? credentials.principal.userEntityRef
              : undefined,
        };
        records.push(record);
        return {
          async success() {
            record.outcome = 'success';
          },
          async fail() {
            record.outcome = 'fail';
          },
        };
      },
    }),
  });
}

describe('the marketplace actions', () => {
  let server: any;
  const audit: AuditRecord[] = [];

  beforeAll(async () => {
    ({ server } = await startTestBackend({
      features: [
        modelMarketplacePlugin,
        actionsRegistryServiceFactory,
        recordingAuditor(audit),
        catalogServiceMock.factory({ entities: loadExampleEntities() }),
        createServiceFactory({
          service: notificationService,
          deps: {},
          factory: () => ({ send: async () => {} }),
        }),
      ],
    }));
  });

  const invoke = (name: string, as: string, input: unknown) =>
    request(server)
      .post(
        `/api/model-marketplace/.backstage/actions/v1/actions/model-marketplace:${name}/invoke`,
      )
      .set('Authorization', as)
      .send(input as object);

  it('lists every action with described fields and attributes', async () => {
    const res = await request(server)
      .get('/api/model-marketplace/.backstage/actions/v1/actions')
      .set('Authorization', marcus);
    expect(res.status).toBe(200);
    const actions = res.body.actions as any[];
    expect(actions.map(a => a.name).sort()).toEqual([
      'compare-models',
      'decide-request',
      'deploy-model',
      'get-deployment-task',
      'get-model',
      'list-deployments',
      'list-requests',
      'request-model',
      'search-models',
      'undeploy-model',
    ]);
    // every input and output field, at any depth, has a description
    const undescribed: string[] = [];
    const walk = (schema: any, path: string): void => {
      if (!schema || typeof schema !== 'object') return;
      for (const [key, sub] of Object.entries<any>(schema?.properties ?? {})) {
        if (!sub.description) undescribed.push(`${path}.${key}`);
        walk(sub, `${path}.${key}`);
        walk(sub.items, `${path}.${key}[]`);
      }
      walk(schema?.items, `${path}[]`);
    };
    for (const a of actions) {
      walk(a.schema.input, `${a.name}.input`);
      walk(a.schema.output, `${a.name}.output`);
    }
    expect(undescribed).toEqual([]);
    const attrs = Object.fromEntries(actions.map(a => [a.name, a.attributes]));
    expect(attrs['search-models']).toEqual({
      readOnly: true,
      destructive: false,
      idempotent: true,
    });
    expect(attrs['decide-request']).toMatchObject({
      readOnly: false,
      destructive: true,
    });
    expect(attrs['undeploy-model']).toMatchObject({
      readOnly: false,
      destructive: true,
    });
  });

  it('searches exactly as GET /models does, in compact form', async () => {
    const query = { q: 'rerank', type: ['reranker'], sort: 'name', limit: 5 };
    const rest = await request(server)
      .get('/api/model-marketplace/models')
      .query('q=rerank&type=reranker&sort=name&limit=5')
      .set('Authorization', marcus);
    const res = await invoke('search-models', marcus, query);
    expect(res.status).toBe(200);
    const { output } = res.body;
    expect(output.totalItems).toBe(rest.body.totalItems);
    expect(output.items.map((m: any) => m.ref)).toEqual(
      rest.body.items.map((m: any) => m.ref),
    );
    expect(output.facets.type).toEqual(rest.body.facets.type.slice(0, 8));
    expect(Object.keys(output.items[0])).not.toContain('namespace');
  });

  it('refuses bad input naming the field', async () => {
    const res = await invoke('compare-models', marcus, {
      models: ['model:default/llama-3-1-8b-instruct'],
    });
    expect(res.status).toBe(400);
    expect(JSON.stringify(res.body)).toMatch(/models/);
    const unknownField = await invoke('search-models', marcus, { query: 'x' });
    expect(unknownField.status).toBe(400);
  });

  it('reads a model with the declared meaning of its metrics', async () => {
    const res = await invoke('get-model', marcus, {
      model: 'jina-reranker-v2-base-multilingual',
    });
    expect(res.status).toBe(200);
    const metrics = res.body.output.versions[0].metrics;
    expect(metrics).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          name: 'p95_latency_ms',
          direction: 'lower',
          unit: 'ms',
          value: 39,
        }),
      ]),
    );
    expect(res.body.output.access).toMatchObject({
      policy: 'approval',
      approvers: ['group:default/ai-governance'],
    });
  });

  it('requests and decides as the caller, audited like REST, never by the requester', async () => {
    audit.length = 0;
    const created = await invoke('request-model', marcus, {
      model: 'model:default/llama-3-1-8b-instruct',
      team: 'group:default/team-assistants',
      purpose: 'actions test',
    });
    expect(created.status).toBe(200);
    expect(created.body.output.status).toBe('pending');
    const id = created.body.output.id;
    expect(audit).toContainEqual(
      expect.objectContaining({
        eventId: 'request-create',
        actor: 'user:default/marcus.bell',
        outcome: 'success',
      }),
    );

    // the requester and a non-approver are refused, as over REST
    for (const who of [marcus, lena]) {
      const refused = await invoke('decide-request', who, {
        id,
        decision: 'approve',
      });
      const rest = await request(server)
        .post(`/api/model-marketplace/requests/${id}/decision`)
        .set('Authorization', who)
        .send({ decision: 'approve' });
      expect(refused.status).toBe(403);
      expect(rest.status).toBe(403);
      expect(refused.body.error.name).toBe('NotAllowedError');
      expect(refused.body.error.message).toContain(rest.body.error.message);
    }

    const waiting = await invoke('list-requests', jonas, {});
    expect(
      waiting.body.output.awaitingMyDecision.map((r: any) => r.id),
    ).toContain(id);
    const mine = await invoke('list-requests', marcus, {});
    expect(mine.body.output.myRequests.map((r: any) => r.id)).toContain(id);
    expect(
      mine.body.output.awaitingMyDecision.map((r: any) => r.id),
    ).not.toContain(id);

    audit.length = 0;
    const decided = await invoke('decide-request', jonas, {
      id,
      decision: 'approve',
      comment: 'fine',
    });
    expect(decided.status).toBe(200);
    expect(decided.body.output.request).toMatchObject({
      status: 'approved',
      decidedBy: 'user:default/jonas.weber',
    });
    expect(audit).toEqual([
      expect.objectContaining({
        eventId: 'request-decide',
        actor: 'user:default/jonas.weber',
        meta: expect.objectContaining({ requestId: id, decision: 'approve' }),
        outcome: 'success',
      }),
    ]);
    const again = await invoke('decide-request', jonas, {
      id,
      decision: 'reject',
    });
    expect(again.status).toBe(409);
  });

  it('needs a caller', async () => {
    const res = await invoke(
      'search-models',
      mockCredentials.none.header(),
      {},
    );
    expect(res.status).toBe(401);
  });
});
