import { mockServices, TestDatabases } from '@backstage/backend-test-utils';
import { ConflictError, NotFoundError } from '@backstage/errors';
import { DatabaseRequestStore } from './DatabaseRequestStore';
import { DatabaseDeploymentStore } from './DatabaseDeploymentStore';
import { DuplicateRequestError } from './DuplicateRequestError';
import { resolve } from 'node:path';

jest.setTimeout(60_000);

const databases = TestDatabases.create({ ids: ['POSTGRES_17', 'SQLITE_3'] });

const base = {
  model: 'model:default/llama-3-1-8b-instruct',
  team: 'group:default/team-assistants',
  purpose: 'Support copilot',
  requester: 'user:default/guest',
  accessPolicy: 'approval' as const,
  approvers: ['group:default/ml-platform', 'user:default/helen.park'],
  autoApprove: false,
};

describe.each(databases.eachSupportedId())('stores on %p', databaseId => {
  async function stores() {
    const knex = await databases.init(databaseId);
    const database = mockServices.database({
      knex,
      migrations: { skip: false },
    });
    return {
      knex,
      requests: await DatabaseRequestStore.create({ database }),
      deployments: await DatabaseDeploymentStore.create({ database }),
    };
  }

  it('creates, reads and lists requests with their timeline', async () => {
    const { requests } = await stores();
    const created = await requests.createRequest(base);
    expect(created).toMatchObject({
      status: 'pending',
      approvers: base.approvers,
    });
    const open = await requests.createRequest({
      ...base,
      model: 'model:default/mistral-7b-instruct',
      accessPolicy: 'open',
      autoApprove: true,
      version: '0.3.0',
    });
    expect(open.status).toBe('approved');

    const read = await requests.getRequest(open.id);
    expect(read?.version).toBe('0.3.0');
    expect(
      read?.timeline.map(t => [t.action, t.fromStatus, t.toStatus]),
    ).toEqual([
      ['created', undefined, 'pending'],
      ['approved', 'pending', 'approved'],
    ]);
    expect(await requests.getRequest('nope')).toBeUndefined();

    const mine = await requests.listRequests({
      requester: base.requester,
      limit: 10,
      offset: 0,
    });
    expect(mine.totalItems).toBe(2);
    const approverOf = await requests.listRequests({
      approverRefs: ['user:default/helen.park'],
      status: ['pending'],
      limit: 10,
      offset: 0,
    });
    expect(approverOf.items.map(r => r.id)).toEqual([created.id]);
    const either = await requests.listRequests({
      requester: 'user:default/someone',
      approverRefs: ['group:default/ml-platform'],
      either: true,
      limit: 1,
      offset: 0,
    });
    expect(either.totalItems).toBe(2);
    expect(either.items).toHaveLength(1);
    const byModel = await requests.listRequests({
      model: base.model,
      team: base.team,
      limit: 10,
      offset: 0,
    });
    expect(byModel.items.map(r => r.id)).toEqual([created.id]);

    expect(await requests.countByStatus(base.model)).toMatchObject({
      pending: 1,
      approved: 0,
    });
    expect((await requests.countByModel()).get(open.model)).toBe(1);
  });

  it('counts pending requests per policy with the oldest creation time', async () => {
    const { requests } = await stores();
    expect(await requests.pendingByPolicy()).toEqual([]);
    const before = Date.now();
    const first = await requests.createRequest(base);
    await requests.createRequest({
      ...base,
      team: 'group:default/team-vision',
    });
    await requests.createRequest({
      ...base,
      model: 'model:default/llama-3-1-70b-instruct',
      accessPolicy: 'restricted',
    });
    // auto-approved: not pending
    await requests.createRequest({
      ...base,
      model: 'model:default/mistral-7b-instruct',
      accessPolicy: 'open',
      autoApprove: true,
    });
    const pending = await requests.pendingByPolicy();
    expect(
      pending
        .map(p => [p.policy, p.count])
        .sort((a, b) => String(a[0]).localeCompare(String(b[0]))),
    ).toEqual([
      ['approval', 2],
      ['restricted', 1],
    ]);
    const approval = pending.find(p => p.policy === 'approval')!;
    expect(approval.oldestCreatedAt).toBe(first.createdAt);
    expect(Date.parse(approval.oldestCreatedAt)).toBeGreaterThanOrEqual(
      before - 1000,
    );
    await requests.transition(first.id, {
      from: ['pending'],
      to: 'approved',
      action: 'approved',
      actor: 'user:default/helen.park',
      isDecision: true,
    });
    expect(
      (await requests.pendingByPolicy()).find(p => p.policy === 'approval')
        ?.count,
    ).toBe(1);
  });

  it('moves through the state machine and refuses stale transitions', async () => {
    const { requests } = await stores();
    const { id } = await requests.createRequest(base);
    const approved = await requests.transition(id, {
      from: ['pending'],
      to: 'approved',
      action: 'approved',
      actor: 'user:default/helen.park',
      comment: 'fine',
      isDecision: true,
    });
    expect(approved).toMatchObject({
      status: 'approved',
      decidedBy: 'user:default/helen.park',
      decisionComment: 'fine',
    });
    await expect(
      requests.transition(id, {
        from: ['pending'],
        to: 'rejected',
        action: 'rejected',
        actor: 'x',
      }),
    ).rejects.toThrow(ConflictError);
    await expect(
      requests.transition('missing', {
        from: ['pending'],
        to: 'rejected',
        action: 'rejected',
        actor: 'x',
      }),
    ).rejects.toThrow(NotFoundError);
    const read = await requests.getRequest(id);
    expect(read?.timeline).toHaveLength(2);
    expect(read?.timeline[1]).toMatchObject({
      comment: 'fine',
      actor: 'user:default/helen.park',
    });
  });

  it('lets exactly one of two concurrent decisions win', async () => {
    const { requests } = await stores();
    const { id } = await requests.createRequest(base);
    const results = await Promise.allSettled(
      ['approved', 'rejected'].map(to =>
        requests.transition(id, {
          from: ['pending'],
          to: to as 'approved' | 'rejected',
          action: to as 'approved' | 'rejected',
          actor: 'user:default/helen.park',
          isDecision: true,
        }),
      ),
    );
    expect(results.filter(r => r.status === 'fulfilled')).toHaveLength(1);
    const failed = results.filter(
      r => r.status === 'rejected',
    ) as PromiseRejectedResult[];
    expect(failed).toHaveLength(1);
    expect(failed[0].reason).toBeInstanceOf(ConflictError);
    expect((await requests.getRequest(id))?.timeline).toHaveLength(2);
  });

  it('records deployments and runs follow-ups in the same transaction', async () => {
    const { requests, deployments } = await stores();
    const request = await requests.createRequest({
      ...base,
      autoApprove: true,
    });
    const input = {
      model: base.model,
      version: '1.0.0',
      team: base.team,
      cluster: 'sandbox',
      namespace: 'team-assistants',
      objects: [
        {
          apiVersion: 'apps/v1',
          kind: 'Deployment',
          namespace: 'team-assistants',
          name: 'llama',
        },
      ],
      status: 'deployed' as const,
      requestId: request.id,
      deployedBy: 'user:default/guest',
    };
    const record = await deployments.createDeployment(input, async (trx, r) => {
      await requests.transition(
        r.requestId!,
        {
          from: ['approved'],
          to: 'deployed',
          action: 'deployed',
          actor: r.deployedBy,
        },
        { trx },
      );
    });
    expect(record).toMatchObject({ status: 'deployed', requestId: request.id });
    expect((await requests.getRequest(request.id))?.status).toBe('deployed');

    // a failing follow-up rolls the deployment row back
    await expect(
      deployments.createDeployment(input, async () => {
        throw new Error('boom');
      }),
    ).rejects.toThrow('boom');
    expect(await deployments.listDeployments({})).toHaveLength(1);

    const updated = await deployments.updateDeployment(record.id, {
      status: 'undeployed',
      actor: 'user:default/guest',
      message: 'gone',
    });
    expect(updated).toMatchObject({ status: 'undeployed', message: 'gone' });
    await expect(
      deployments.updateDeployment('missing', { status: 'failed', actor: 'x' }),
    ).rejects.toThrow(NotFoundError);

    await deployments.createDeployment({
      ...input,
      team: 'group:default/team-search',
      requestId: undefined,
    });
    expect(
      await deployments.listDeployments({ team: 'group:default/team-search' }),
    ).toHaveLength(1);
    // an undeploy removes the live row; the history keeps it
    expect(
      await deployments.listDeployments({ status: ['undeployed'] }),
    ).toHaveLength(0);
    expect(await deployments.getDeployment(record.id)).toBeUndefined();
    expect(
      (await deployments.listEvents({ deploymentId: record.id })).map(
        e => e.event,
      ),
    ).toEqual(['undeployed', 'deployed']);
    expect(
      await deployments.listDeployments({ model: 'model:default/other' }),
    ).toHaveLength(0);
    expect(await deployments.countForModel(base.model)).toEqual({
      total: 1,
      active: 1,
    });
  });

  it('refuses a second open request of a team for a model and version', async () => {
    const { requests } = await stores();
    const first = await requests.createRequest(base);
    const again = await requests.createRequest(base).catch(e => e);
    expect(again).toBeInstanceOf(DuplicateRequestError);
    expect(again).toBeInstanceOf(ConflictError);
    expect(again.existingRequestId).toBe(first.id);
    expect(again.message).toContain(first.id);

    // another version, another team: not duplicates
    const v1 = await requests.createRequest({ ...base, version: '1.0.0' });
    await requests.createRequest({
      ...base,
      team: 'group:default/team-search',
    });
    await expect(
      requests.createRequest({ ...base, version: '1.0.0' }),
    ).rejects.toMatchObject({ existingRequestId: v1.id });

    // approved and deployed requests still count as open
    await requests.transition(first.id, {
      from: ['pending'],
      to: 'approved',
      action: 'approved',
      actor: 'user:default/helen.park',
    });
    await expect(requests.createRequest(base)).rejects.toMatchObject({
      existingRequestId: first.id,
    });
    await requests.transition(first.id, {
      from: ['approved'],
      to: 'deployed',
      action: 'deployed',
      actor: 'user:default/guest',
    });
    await expect(requests.createRequest(base)).rejects.toMatchObject({
      existingRequestId: first.id,
      existingRequestStatus: 'deployed',
    });

    // once retired (or rejected, cancelled) the team may ask again
    await requests.transition(first.id, {
      from: ['deployed'],
      to: 'retired',
      action: 'retired',
      actor: 'user:default/guest',
    });
    const next = await requests.createRequest(base);
    expect(next.status).toBe('pending');
    expect(await requests.findOpenRequest(base)).toMatchObject({
      id: next.id,
    });
  });

  it('lets exactly one of many concurrent identical requests through', async () => {
    const { requests } = await stores();
    const results = await Promise.allSettled(
      Array.from({ length: 8 }, () =>
        requests.createRequest({ ...base, autoApprove: true }),
      ),
    );
    const created = results.filter(
      r => r.status === 'fulfilled',
    ) as PromiseFulfilledResult<{ id: string }>[];
    expect(created).toHaveLength(1);
    const refused = results.filter(
      r => r.status === 'rejected',
    ) as PromiseRejectedResult[];
    expect(refused).toHaveLength(7);
    for (const r of refused) {
      expect(r.reason).toBeInstanceOf(DuplicateRequestError);
      expect(r.reason.existingRequestId).toBe(created[0].value.id);
    }
    const all = await requests.listRequests({
      model: base.model,
      team: base.team,
      limit: 100,
      offset: 0,
    });
    expect(all.totalItems).toBe(1);
  });

  it('cancels duplicates that existed before the unique index', async () => {
    const knex = await databases.init(databaseId);
    const directory = resolve(__dirname, '../../migrations');
    await knex.migrate.up({ directory, name: '20261126000000_init.js' });
    const row = (id: string, status: string, at: string) => ({
      id,
      model_ref: base.model,
      version: null,
      team_ref: base.team,
      purpose: 'x',
      status,
      requester_ref: base.requester,
      access_policy: 'approval',
      approvers: '[]',
      created_at: at,
      updated_at: at,
    });
    await knex('model_requests').insert([
      row('a', 'pending', '2026-01-01T00:00:00.000Z'),
      row('b', 'approved', '2026-01-02T00:00:00.000Z'),
      row('c', 'approved', '2026-01-03T00:00:00.000Z'),
      row('d', 'rejected', '2026-01-04T00:00:00.000Z'),
    ]);
    await knex.migrate.latest({ directory });
    const statuses = Object.fromEntries(
      (await knex('model_requests').select('id', 'status')).map(r => [
        r.id,
        r.status,
      ]),
    );
    expect(statuses).toEqual({
      a: 'cancelled',
      b: 'approved',
      c: 'cancelled',
      d: 'rejected',
    });
    const events = await knex('model_request_events').where({
      request_id: 'c',
    });
    expect(events[0].comment).toContain('duplicate of request b');
    // the partial unique index exists and refuses a second open request
    const indexes =
      knex.client.config.client === 'pg'
        ? (
            await knex.raw(
              "SELECT indexname AS name FROM pg_indexes WHERE tablename = 'model_requests'",
            )
          ).rows
        : await knex.raw(
            "SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'model_requests'",
          );
    expect(indexes.map((i: { name: string }) => i.name)).toContain(
      'model_requests_one_open_idx',
    );
    // awaited directly: jest's `rejects` on a knex builder (a thenable, not
    // a promise) was seen to pass a resolved insert through on SQLite
    const refused = await knex('model_requests')
      .insert(row('e', 'pending', '2026-01-05'))
      .then(
        () => undefined,
        (error: Error) => error,
      );
    expect(refused?.message).toMatch(/unique/i);
  });
});
