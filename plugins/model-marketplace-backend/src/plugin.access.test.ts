import request from 'supertest';
import { startMarketplace, users } from './__testUtils__/startMarketplace';
import { eventually } from './__testUtils__/eventually';

/*
 * Gated access and usage through the real plugin: the owner's questions
 * (examples/models.yaml, jina-reranker-v2-base-multilingual, approved by
 * ai-governance), the access-list export, revoking and who uses a model.
 */

jest.setTimeout(60_000);

const MODEL = 'jina-reranker-v2-base-multilingual';
const MODEL_REF = `model:default/${MODEL}`;
const { daniel, guest, helen, service } = users;

const answers = {
  useCase: 'Offline nDCG on =SUM(A1) "golden", queries',
  environment: 'offline evaluation',
  acceptLicence: true,
};

describe('model-marketplace gated access and usage', () => {
  let server: any;
  let send: jest.Mock;

  beforeAll(async () => {
    ({ server, send } = await startMarketplace());
  });

  const api = () => request(server);
  const base = '/api/model-marketplace';
  const create = (auth: string, body: object) =>
    api().post(`${base}/requests`).set('Authorization', auth).send(body);
  const listFor = async (team: string) =>
    (
      await api()
        .get(`${base}/requests`)
        .query({ model: MODEL_REF, team })
        .set('Authorization', service)
    ).body.items;

  it('offers the questions and refuses missing or wrong answers, naming each field, writing nothing', async () => {
    const details = await api()
      .get(`${base}/models/default/${MODEL}`)
      .set('Authorization', daniel);
    expect(details.body.questions.map((q: any) => [q.id, q.type])).toEqual([
      ['useCase', 'text'],
      ['environment', 'select'],
      ['acceptLicence', 'checkbox'],
      ['shareResults', 'checkbox'],
    ]);

    const missing = await create(daniel, {
      model: MODEL,
      team: 'team-search',
      purpose: 'Evaluate',
    });
    expect(missing.status).toBe(400);
    expect(missing.body.error.name).toBe('InputError');
    expect(missing.body.error.message).toBe(
      'Invalid request body: answers.useCase is required ("What will you evaluate the model on?"); answers.environment is required ("Where will it run?"); answers.acceptLicence must be ticked ("I accept the CC BY-NC 4.0 licence (non-commercial use only)")',
    );

    const wrong = await create(daniel, {
      model: MODEL,
      team: 'team-search',
      purpose: 'Evaluate',
      answers: { ...answers, environment: 'production', colour: 'red' },
    });
    expect(wrong.status).toBe(400);
    expect(wrong.body.error.message).toContain(
      'answers.colour is not a question',
    );
    expect(wrong.body.error.message).toContain(
      'answers.environment must be one of: offline evaluation, staging',
    );
    expect(await listFor('team-search')).toEqual([]);
  });

  it('keeps the answers, exports the access list to approvers only, revokes and reports usage', async () => {
    const created = await create(daniel, {
      model: MODEL,
      team: 'team-search',
      purpose: 'Compare, with "BGE"\nnext quarter',
      answers,
    });
    expect(created.status).toBe(201);
    const id = created.body.id;
    const read = await api()
      .get(`${base}/requests/${id}`)
      .set('Authorization', daniel);
    expect(read.body.answers).toEqual(answers);

    // a second team, still pending
    expect(
      (
        await create(guest, {
          model: MODEL,
          team: 'team-assistants',
          purpose: 'Try',
          answers: { ...answers, environment: 'staging' },
        })
      ).status,
    ).toBe(201);

    // usage before any approval: nobody
    const before = await api()
      .get(`${base}/models/default/${MODEL}/usage`)
      .set('Authorization', guest);
    expect(before.body).toEqual({
      model: MODEL_REF,
      teams: [],
      totals: { teams: 0, approvedRequests: 0, deployments: 0 },
    });

    const approve = await api()
      .post(`${base}/requests/${id}/decision`)
      .set('Authorization', helen)
      .send({ decision: 'approve' });
    expect(approve.status).toBe(200);

    const deployed = await api()
      .post(`${base}/deployments`)
      .set('Authorization', service)
      .send({
        model: MODEL_REF,
        version: '2.0.0',
        team: 'group:default/team-search',
        cluster: 'sandbox',
        namespace: 'team-search',
        objects: [
          {
            apiVersion: 'serving.kserve.io/v1beta1',
            kind: 'InferenceService',
            namespace: 'team-search',
            name: 'jina',
          },
        ],
        status: 'deployed',
        requestId: id,
        deployedBy: 'user:default/daniel.okafor',
      });
    expect(deployed.status).toBe(201);

    const usage = await api()
      .get(`${base}/models/default/${MODEL}/usage`)
      .set('Authorization', guest);
    expect(usage.body).toEqual({
      model: MODEL_REF,
      teams: [
        {
          team: 'group:default/team-search',
          approvedRequests: 1,
          deployments: 1,
        },
      ],
      totals: { teams: 1, approvedRequests: 1, deployments: 1 },
    });
    expect(
      (
        await api()
          .get(`${base}/models/default/no-such-model/usage`)
          .set('Authorization', guest)
      ).status,
    ).toBe(404);

    // export: approvers only
    const refused = await api()
      .get(`${base}/models/default/${MODEL}/access-list`)
      .set('Authorization', daniel);
    expect(refused.status).toBe(403);
    expect(refused.body.error.message).toContain(
      'Only approvers of model:default/jina-reranker-v2-base-multilingual',
    );
    const csv = await api()
      .get(`${base}/models/default/${MODEL}/access-list`)
      .set('Authorization', helen);
    expect(csv.status).toBe(200);
    expect(csv.headers['content-type']).toMatch(/^text\/csv/);
    expect(csv.headers['content-disposition']).toBe(
      `attachment; filename="${MODEL}-access-list.csv"`,
    );
    const lines = csv.text.split('\r\n');
    expect(lines[0]).toBe(
      'id,status,model,version,team,requester,purpose,createdAt,decidedBy,decidedAt,decisionComment,revokedBy,revokedAt,revokeReason,answer:useCase,answer:environment,answer:acceptLicence,answer:shareResults',
    );
    const row = lines.find(l => l.startsWith(id))!;
    expect(row).toContain(
      ',deployed,model:default/jina-reranker-v2-base-multilingual,,group:default/team-search,user:default/daniel.okafor,"Compare, with ""BGE""\nnext quarter",',
    );
    expect(row).toMatch(
      /,"Offline nDCG on =SUM\(A1\) ""golden"", queries",offline evaluation,true,$/,
    );
    const json = await api()
      .get(`${base}/models/default/${MODEL}/access-list`)
      .query({ format: 'json', status: 'pending' })
      .set('Authorization', helen);
    expect(json.body.questions[2]).toEqual({
      id: 'acceptLicence',
      label: 'I accept the CC BY-NC 4.0 licence (non-commercial use only)',
    });
    expect(json.body.items.map((r: any) => [r.team, r.status])).toEqual([
      ['group:default/team-assistants', 'pending'],
    ]);
    const badFormat = await api()
      .get(`${base}/models/default/${MODEL}/access-list`)
      .query({ format: 'xml' })
      .set('Authorization', helen);
    expect(badFormat.status).toBe(400);
    expect(badFormat.body.error.message).toContain('format');

    // revoke: approvers only, with a reason
    const revoke = (auth: string, body: object) =>
      api()
        .post(`${base}/requests/${id}/revoke`)
        .set('Authorization', auth)
        .send(body);
    expect((await revoke(daniel, { reason: 'mine' })).status).toBe(403);
    expect((await revoke(guest, { reason: 'not mine' })).status).toBe(403);
    const noReason = await revoke(helen, { reason: '  ' });
    expect(noReason.status).toBe(400);
    expect(noReason.body.error.message).toContain('reason');
    send.mockClear();
    const revoked = await revoke(helen, { reason: 'Licence audit failed' });
    expect(revoked.status).toBe(200);
    expect(revoked.body).toMatchObject({
      status: 'revoked',
      revokedBy: 'user:default/helen.park',
      revokeReason: 'Licence audit failed',
    });
    expect((await revoke(helen, { reason: 'again' })).status).toBe(409);

    await eventually(() => expect(send).toHaveBeenCalledTimes(1));
    const [{ recipients, payload }] = send.mock.calls[0] as any[];
    expect(recipients.entityRef).toEqual([
      'group:default/team-search',
      'user:default/daniel.okafor',
    ]);
    expect(payload.title).toBe(
      'Access to Jina Reranker v2 Base Multilingual was revoked',
    );
    expect(payload.severity).toBe('high');
    expect(payload.link).toBe(`/models/requests?request=${id}`);

    // a revoked request no longer backs a deploy
    const refusedDeploy = await api()
      .post(`${base}/deployments`)
      .set('Authorization', service)
      .send({
        model: MODEL_REF,
        version: '2.0.0',
        team: 'group:default/team-search',
        cluster: 'sandbox',
        namespace: 'team-search-staging',
        objects: [],
        status: 'deploying',
        requestId: id,
        deployedBy: 'user:default/daniel.okafor',
      });
    expect(refusedDeploy.status).toBe(409);
    expect(refusedDeploy.body.error.message).toContain('is revoked');
    // the scaffolder's approval check asks for approved or deployed ones
    for (const status of ['approved', 'deployed']) {
      const open = await api()
        .get(`${base}/requests`)
        .query({ model: MODEL_REF, team: 'team-search', status })
        .set('Authorization', service);
      expect(open.body.items).toEqual([]);
    }
    // usage: the running deployment still counts, the approval no longer
    const after = await api()
      .get(`${base}/models/default/${MODEL}/usage`)
      .set('Authorization', guest);
    expect(after.body.teams).toEqual([
      {
        team: 'group:default/team-search',
        approvedRequests: 0,
        deployments: 1,
      },
    ]);
  });
});
