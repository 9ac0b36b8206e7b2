import { mockServices, TestDatabases } from '@backstage/backend-test-utils';
import { ConflictError } from '@backstage/errors';
import { resolve } from 'node:path';
import { DatabaseDeploymentStore } from './DatabaseDeploymentStore';
import { DatabaseRequestStore } from './DatabaseRequestStore';

jest.setTimeout(60_000);

const databases = TestDatabases.create({ ids: ['POSTGRES_17', 'SQLITE_3'] });

const base = {
  model: 'model:default/llama-3-1-8b-instruct',
  team: 'group:default/team-assistants',
  purpose: 'Support copilot',
  requester: 'user:default/guest',
  accessPolicy: 'approval' as const,
  approvers: ['group:default/ml-platform'],
  autoApprove: false,
};

describe.each(databases.eachSupportedId())(
  'answers, revocation and usage on %p',
  databaseId => {
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

    it('keeps the answers with the request', async () => {
      const { requests, knex } = await stores();
      const answers = { useCase: 'Search ranking', acceptLicence: true };
      const created = await requests.createRequest({ ...base, answers });
      expect(created.answers).toEqual(answers);
      expect((await requests.getRequest(created.id))?.answers).toEqual(answers);
      const [listed] = (
        await requests.listRequests({ model: base.model, limit: 5, offset: 0 })
      ).items;
      expect(listed.answers).toEqual(answers);
      const row = await knex('model_requests')
        .where({ id: created.id })
        .first();
      expect(JSON.parse(row.answers)).toEqual(answers);

      const without = await requests.createRequest({
        ...base,
        version: '2.0.0',
        answers: {},
      });
      expect(without.answers).toBeUndefined();
    });

    it('revokes an approved or deployed request once, recording who and why', async () => {
      const { requests } = await stores();
      const approved = await requests.createRequest({
        ...base,
        autoApprove: true,
      });
      const revoked = await requests.transition(approved.id, {
        from: ['approved', 'deployed'],
        to: 'revoked',
        action: 'revoked',
        actor: 'user:default/helen.park',
        comment: 'Licence changed',
        isRevocation: true,
      });
      expect(revoked).toMatchObject({
        status: 'revoked',
        revokedBy: 'user:default/helen.park',
        revokeReason: 'Licence changed',
      });
      expect(Date.parse(revoked.revokedAt!)).not.toBeNaN();
      // the decision stays as it was
      expect(revoked.decisionComment).toBeUndefined();
      const read = await requests.getRequest(approved.id);
      expect(read?.timeline.at(-1)).toMatchObject({
        action: 'revoked',
        fromStatus: 'approved',
        toStatus: 'revoked',
        comment: 'Licence changed',
      });
      await expect(
        requests.transition(approved.id, {
          from: ['approved', 'deployed'],
          to: 'revoked',
          action: 'revoked',
          actor: 'user:default/helen.park',
          isRevocation: true,
        }),
      ).rejects.toThrow(ConflictError);
      // a revoked request is not open: the team may ask again
      expect(await requests.findOpenRequest(base)).toBeUndefined();
      const again = await requests.createRequest(base);
      expect(again.status).toBe('pending');
    });

    it('counts approved requests and live deployments per team', async () => {
      const { requests, deployments } = await stores();
      const other = 'group:default/team-search';
      await requests.createRequest({ ...base, autoApprove: true });
      await requests.createRequest({
        ...base,
        version: '2.0.0',
        autoApprove: true,
      });
      await requests.createRequest({ ...base, team: other, version: '3' });
      const counts = await requests.countByTeam(base.model, [
        'approved',
        'deployed',
      ]);
      expect(Object.fromEntries(counts)).toEqual({ [base.team]: 2 });

      const deploy = (
        team: string,
        namespace: string,
        status: 'deployed' | 'failed',
      ) =>
        deployments.createDeployment({
          model: base.model,
          version: '1.0.0',
          team,
          cluster: 'sandbox',
          namespace,
          objects: [
            { apiVersion: 'apps/v1', kind: 'Deployment', namespace, name: 'm' },
          ],
          status,
          deployedBy: 'user:default/guest',
        });
      await deploy(base.team, 'team-assistants', 'deployed');
      await deploy(other, 'team-search', 'deployed');
      await deploy(other, 'team-search-2', 'failed');
      expect(
        Object.fromEntries(await deployments.countActiveByTeam(base.model)),
      ).toEqual({ [base.team]: 1, [other]: 1 });
      expect(
        (await deployments.countActiveByTeam('model:default/x')).size,
      ).toBe(0);
    });

    it('migrates existing requests without answers or revocation', async () => {
      const knex = await databases.init(databaseId);
      const directory = resolve(__dirname, '../../migrations');
      await knex.migrate.up({ directory, name: '20261126000000_init.js' });
      await knex.migrate.up({
        directory,
        name: '20261201000001_unique_open_requests.js',
      });
      await knex.migrate.up({
        directory,
        name: '20261201000002_deployment_workloads.js',
      });
      const at = '2026-01-01T00:00:00.000Z';
      await knex('model_requests').insert({
        id: 'old',
        model_ref: base.model,
        version: null,
        team_ref: base.team,
        purpose: 'x',
        status: 'approved',
        requester_ref: base.requester,
        access_policy: 'approval',
        approvers: '[]',
        created_at: at,
        updated_at: at,
      });
      await knex.migrate.latest({ directory });
      const requests = new DatabaseRequestStore(knex);
      const old = await requests.getRequest('old');
      expect(old).toMatchObject({ id: 'old', status: 'approved' });
      expect(old?.answers).toBeUndefined();
      expect(old?.revokedBy).toBeUndefined();
      // later migrations (the change feed) stay: roll back this one by name
      await knex.migrate.down({
        directory,
        name: '20261201000003_request_answers_and_revocation.js',
      });
      const columns = await knex('model_requests').columnInfo();
      expect(Object.keys(columns)).not.toContain('answers');
    });
  },
);
