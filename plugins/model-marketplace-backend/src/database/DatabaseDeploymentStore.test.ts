import { mockServices, TestDatabases } from '@backstage/backend-test-utils';
import { ConflictError } from '@backstage/errors';
import type { CreateDeploymentRecordRequest } from '@aic/plugin-model-marketplace-common';
import { resolvePackagePath } from '@backstage/backend-plugin-api';
import { DatabaseDeploymentStore } from './DatabaseDeploymentStore';

jest.setTimeout(60_000);

const databases = TestDatabases.create({ ids: ['POSTGRES_17', 'SQLITE_3'] });

const deploy = (
  extra: Partial<CreateDeploymentRecordRequest> = {},
): CreateDeploymentRecordRequest => ({
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
      name: 'mistral-7b-instruct-0-3-0',
    },
    {
      apiVersion: 'v1',
      kind: 'Service',
      namespace: 'team-assistants',
      name: 'mistral-7b-instruct-0-3-0',
    },
  ],
  status: 'deploying',
  deployedBy: 'user:default/guest',
  ...extra,
});

describe.each(databases.eachSupportedId())(
  'DatabaseDeploymentStore on %p',
  databaseId => {
    async function store() {
      const knex = await databases.init(databaseId);
      const database = mockServices.database({
        knex,
        migrations: { skip: false },
      });
      return {
        knex,
        store: await DatabaseDeploymentStore.create({ database }),
      };
    }

    it('keeps one live row per workload across sequential re-deploys', async () => {
      const { store: s } = await store();
      const first = await s.createDeployment(deploy());
      expect(first.workload).toBe('mistral-7b-instruct-0-3-0');
      await s.updateDeployment(first.id, {
        status: 'deployed',
        actor: 'user:default/guest',
      });
      for (let i = 0; i < 3; i++) {
        const again = await s.createDeployment(
          deploy({ deployedBy: 'user:default/marcus.bell' }),
        );
        expect(again.id).toBe(first.id);
        await s.updateDeployment(first.id, {
          status: 'deployed',
          actor: 'user:default/marcus.bell',
          expectedStatus: ['deploying'],
        });
      }
      const live = await s.listDeployments({});
      expect(live).toHaveLength(1);
      expect(live[0]).toMatchObject({
        id: first.id,
        status: 'deployed',
        deployedBy: 'user:default/marcus.bell',
      });
      // another version is another workload
      const other = await s.createDeployment(
        deploy({
          version: '0.2.0',
          objects: [
            {
              apiVersion: 'apps/v1',
              kind: 'Deployment',
              namespace: 'team-assistants',
              name: 'mistral-7b-instruct-0-2-0',
            },
          ],
        }),
      );
      expect(other.id).not.toBe(first.id);
      expect(await s.listDeployments({})).toHaveLength(2);

      const history = await s.listEvents({ deploymentId: first.id });
      expect(history.map(e => e.event).reverse()).toEqual([
        'deploying',
        'deployed',
        'deploying',
        'updated',
        'deploying',
        'updated',
        'deploying',
        'updated',
      ]);
    });

    it('lets exactly one of concurrent first deploys of a workload start', async () => {
      const { store: s } = await store();
      const results = await Promise.allSettled(
        Array.from({ length: 8 }, () => s.createDeployment(deploy())),
      );
      const ok = results.filter(r => r.status === 'fulfilled');
      const refused = results.filter(
        (r): r is PromiseRejectedResult => r.status === 'rejected',
      );
      expect(ok).toHaveLength(1);
      expect(refused).toHaveLength(7);
      for (const r of refused) {
        expect(r.reason).toBeInstanceOf(ConflictError);
        expect(r.reason.message).toMatch(/is deploying/);
      }
      expect(await s.listDeployments({})).toHaveLength(1);
    });

    it('lets exactly one of concurrent re-deploys take the row over', async () => {
      const { store: s } = await store();
      const first = await s.createDeployment(deploy({ status: 'deployed' }));
      const results = await Promise.allSettled(
        Array.from({ length: 6 }, () => s.createDeployment(deploy())),
      );
      expect(results.filter(r => r.status === 'fulfilled')).toHaveLength(1);
      const live = await s.listDeployments({});
      expect(live.map(d => [d.id, d.status])).toEqual([
        [first.id, 'deploying'],
      ]);
    });

    it('removes the live row on undeploy and keeps the history', async () => {
      const { store: s } = await store();
      const d = await s.createDeployment(deploy({ status: 'deployed' }));
      const after = await s.updateDeployment(d.id, {
        status: 'undeployed',
        actor: 'user:default/guest',
        expectedStatus: ['deployed'],
      });
      expect(after.status).toBe('undeployed');
      expect(await s.listDeployments({})).toEqual([]);
      expect(await s.getDeployment(d.id)).toBeUndefined();
      expect(
        (await s.listEvents({ model: d.model })).map(e => e.event),
      ).toEqual(['undeployed', 'deployed']);
      // a new deploy of the workload starts a new row
      const again = await s.createDeployment(deploy());
      expect(again.id).not.toBe(d.id);
    });

    it('applies conditional updates only in the expected status; heartbeats leave no history', async () => {
      const { store: s } = await store();
      const d = await s.createDeployment(deploy());
      const touched = await s.updateDeployment(d.id, {
        status: 'deploying',
        actor: 'user:default/guest',
        expectedStatus: ['deploying'],
      });
      expect(touched.updatedAt >= d.updatedAt).toBe(true);
      expect(await s.listEvents({ deploymentId: d.id })).toHaveLength(1);
      await s.updateDeployment(d.id, {
        status: 'rolled-back',
        actor: 'plugin:model-marketplace/reconciler',
        objects: [],
        expectedStatus: ['deploying'],
      });
      await expect(
        s.updateDeployment(d.id, {
          status: 'deployed',
          actor: 'user:default/guest',
          expectedStatus: ['deploying'],
        }),
      ).rejects.toThrow(/is rolled-back, not deploying/);
      // a rollback-failed workload blocks new deploys until it is cleaned
      await s.updateDeployment(d.id, {
        status: 'rollback-failed',
        actor: 'user:default/guest',
      });
      await expect(s.createDeployment(deploy())).rejects.toThrow(
        /is rollback-failed/,
      );
      const stale = await s.listStale({
        statuses: ['rollback-failed'],
        before: new Date(Date.now() + 1000),
      });
      expect(stale.map(r => r.id)).toEqual([d.id]);
    });

    it('folds duplicate rows of the old schema into one live row per workload', async () => {
      const knex = await databases.init(databaseId);
      const directory = resolvePackagePath(
        '@aic/plugin-model-marketplace-backend',
        'migrations',
      );
      await knex.migrate.up({ directory, name: '20261126000000_init.js' });
      const row = (id: string, status: string, at: string) => ({
        id,
        model_ref: 'model:default/mistral-7b-instruct',
        version: '0.3.0',
        team_ref: 'group:default/team-assistants',
        cluster: 'sandbox',
        namespace: 'team-assistants',
        objects: JSON.stringify(deploy().objects),
        status,
        endpoint: null,
        request_id: null,
        deployed_by: 'user:default/guest',
        message: null,
        created_at: at,
        updated_at: at,
      });
      await knex('model_deployments').insert([
        row(
          '00000000-0000-0000-0000-000000000001',
          'deployed',
          '2026-11-01T00:00:00.000Z',
        ),
        row(
          '00000000-0000-0000-0000-000000000002',
          'deployed',
          '2026-11-02T00:00:00.000Z',
        ),
        row(
          '00000000-0000-0000-0000-000000000003',
          'undeployed',
          '2026-11-03T00:00:00.000Z',
        ),
      ]);
      const database = mockServices.database({
        knex,
        migrations: { skip: false },
      });
      const s = await DatabaseDeploymentStore.create({ database });
      const live = await s.listDeployments({});
      expect(live.map(d => d.id)).toEqual([
        '00000000-0000-0000-0000-000000000002',
      ]);
      expect(live[0].workload).toBe('mistral-7b-instruct-0-3-0');
      expect(await s.listEvents({})).toHaveLength(3);
      // and the unique index now holds
      const refused = await knex('model_deployments')
        .insert({
          ...row(
            '00000000-0000-0000-0000-000000000004',
            'deployed',
            '2026-11-04T00:00:00.000Z',
          ),
          workload: 'mistral-7b-instruct-0-3-0',
        })
        .then(
          () => undefined,
          (error: Error) => error,
        );
      expect(refused?.message).toMatch(/unique/i);
    });
  },
);
