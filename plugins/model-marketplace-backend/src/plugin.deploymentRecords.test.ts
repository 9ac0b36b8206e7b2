import request from 'supertest';
import { startMarketplace, users } from './__testUtils__/startMarketplace';
import { eventually } from './__testUtils__/eventually';

/*
 * What POST and PATCH /deployments refuse, through the real plugin: a
 * request id that does not exist, belongs to another model or team, or is
 * not approved; unknown deployments; and the notifications of a finished
 * or failed rollout recorded later.
 */

jest.setTimeout(60_000);

const { guest, service } = users;

describe('recording deployments', () => {
  let server: Awaited<ReturnType<typeof startMarketplace>>['server'];
  let send: Awaited<ReturnType<typeof startMarketplace>>['send'];
  const api = () => request(server);

  beforeAll(async () => {
    ({ server, send } = await startMarketplace());
  });

  const record = (extra: Record<string, unknown> = {}) => ({
    model: 'model:default/mistral-7b-instruct',
    version: '0.3.0',
    team: 'group:default/team-assistants',
    cluster: 'sandbox',
    namespace: 'team-assistants-dev',
    objects: [
      {
        apiVersion: 'apps/v1',
        kind: 'Deployment',
        namespace: 'team-assistants-dev',
        name: 'mistral',
      },
    ],
    status: 'deploying',
    deployedBy: 'user:default/guest',
    ...extra,
  });

  async function requestFor(model: string) {
    const res = await api()
      .post('/api/model-marketplace/requests')
      .set('Authorization', guest)
      .send({ model, team: 'team-assistants', purpose: 'Deploy it' });
    expect(res.status).toBe(201);
    return res.body as { id: string; status: string };
  }

  it('answers 404 for a deployment that does not exist', async () => {
    const res = await api()
      .get('/api/model-marketplace/deployments/no-such-id')
      .set('Authorization', guest);
    expect(res.status).toBe(404);
    expect(res.body.error.message).toBe('No deployment with id no-such-id');
  });

  it('refuses a request id that does not exist', async () => {
    const res = await api()
      .post('/api/model-marketplace/deployments')
      .set('Authorization', service)
      .send(record({ requestId: 'no-such-request' }));
    expect(res.status).toBe(400);
    expect(res.body.error.message).toBe('No request with id no-such-request');
  });

  it("refuses another model's request", async () => {
    const open = await requestFor('bge-large-en-v1-5');
    expect(open.status).toBe('approved');
    const res = await api()
      .post('/api/model-marketplace/deployments')
      .set('Authorization', service)
      .send(record({ requestId: open.id }));
    expect(res.status).toBe(400);
    expect(res.body.error.message).toBe(
      `Request ${open.id} is for model:default/bge-large-en-v1-5 and group:default/team-assistants`,
    );
  });

  it('refuses a request that is not approved', async () => {
    const pending = await requestFor('llama-3-1-8b-instruct');
    expect(pending.status).toBe('pending');
    const res = await api()
      .post('/api/model-marketplace/deployments')
      .set('Authorization', service)
      .send(
        record({
          model: 'model:default/llama-3-1-8b-instruct',
          requestId: pending.id,
        }),
      );
    expect(res.status).toBe(409);
    expect(res.body.error.message).toBe(
      `Request ${pending.id} is pending, not approved`,
    );
    const list = await api()
      .get('/api/model-marketplace/deployments')
      .query({ model: 'llama-3-1-8b-instruct' })
      .set('Authorization', guest);
    expect(list.body.items).toEqual([]);
  });

  it('notifies the team when a rollout is recorded as deployed later', async () => {
    const created = await api()
      .post('/api/model-marketplace/deployments')
      .set('Authorization', service)
      .send(record());
    expect(created.status).toBe(201);
    const got = await api()
      .get(`/api/model-marketplace/deployments/${created.body.id}`)
      .set('Authorization', guest);
    expect(got.body).toMatchObject({
      id: created.body.id,
      status: 'deploying',
    });
    send.mockClear();
    const done = await api()
      .patch(`/api/model-marketplace/deployments/${created.body.id}`)
      .set('Authorization', service)
      .send({
        status: 'deployed',
        actor: 'user:default/guest',
        expectedStatus: ['deploying'],
        endpoint: 'http://mistral.team-assistants-dev:8000',
      });
    expect(done.status).toBe(200);
    expect(done.body.status).toBe('deployed');
    await eventually(() =>
      expect(send).toHaveBeenCalledWith(
        expect.objectContaining({
          recipients: expect.objectContaining({
            entityRef: ['group:default/team-assistants'],
          }),
          payload: expect.objectContaining({
            title: expect.stringMatching(/0\.3\.0 is deployed$/),
          }),
        }),
      ),
    );
    // a second finish is refused: the row is no longer deploying
    const again = await api()
      .patch(`/api/model-marketplace/deployments/${created.body.id}`)
      .set('Authorization', service)
      .send({
        status: 'failed',
        actor: 'user:default/guest',
        expectedStatus: ['deploying'],
      });
    expect(again.status).toBe(409);
  });

  it('notifies the team of a failed rollback, naming the leftovers', async () => {
    const created = await api()
      .post('/api/model-marketplace/deployments')
      .set('Authorization', service)
      .send(record({ model: 'model:default/qwen2-5-coder-7b-instruct' }));
    expect(created.status).toBe(201);
    send.mockClear();
    const res = await api()
      .patch(`/api/model-marketplace/deployments/${created.body.id}`)
      .set('Authorization', service)
      .send({
        status: 'rollback-failed',
        actor: 'user:default/guest',
        message: 'rollback failed, left in the cluster: Deployment x',
        objects: record().objects,
      });
    expect(res.status).toBe(200);
    expect(res.body.status).toBe('rollback-failed');
    await eventually(() =>
      expect(send).toHaveBeenCalledWith(
        expect.objectContaining({
          payload: expect.objectContaining({
            title: expect.stringMatching(/^Rollback of .* failed$/),
          }),
        }),
      ),
    );
  });
});
