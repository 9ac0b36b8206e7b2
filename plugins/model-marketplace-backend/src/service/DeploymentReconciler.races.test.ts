import { TestDatabases } from '@backstage/backend-test-utils';
import type { NotificationService } from '@backstage/plugin-notifications-node';
import type { InspectResult } from '@aic/plugin-model-marketplace-node';
import type { DatabaseDeploymentStore } from '../database/DatabaseDeploymentStore';
import { eventually } from '../__testUtils__/eventually';
import {
  deploymentRef,
  deploymentStore,
  interruptedDeploy,
  later,
  reconcilerOn,
} from '../__testUtils__/reconcilerFixtures';
import type { ReconcilerCluster } from './DeploymentReconciler';

/*
 * The reconciler when the row moves under it (the deploy finished in the
 * meantime), when the store fails, when notifications cannot be sent, and
 * for an interrupted deploy whose workload was never found. Real store on
 * SQLite and PostgreSQL; the cluster is the reconciler's seam, as in
 * DeploymentReconciler.test.ts.
 */

jest.setTimeout(60_000);

const databases = TestDatabases.create({ ids: ['POSTGRES_17', 'SQLITE_3'] });

describe.each(databases.eachSupportedId())(
  'DeploymentReconciler races on %p',
  databaseId => {
    async function setup(options: {
      inspect: () => InspectResult;
      beforeWrite?: (store: DatabaseDeploymentStore, id: string) => unknown;
      send?: NotificationService['send'];
    }) {
      const store = await deploymentStore(await databases.init(databaseId));
      const row = await store.createDeployment(
        interruptedDeploy({ endpoint: 'http://recorded-endpoint:8000' }),
      );
      const cluster: ReconcilerCluster = {
        async inspect() {
          // what happens between the reconciler's read and its write
          await options.beforeWrite?.(store, row.id);
          return options.inspect();
        },
        async rollback(_name, objects) {
          return { deleted: objects, failed: [] };
        },
      };
      return {
        store,
        row,
        ...reconcilerOn({ store, cluster, send: options.send }),
      };
    }

    const ready: InspectResult = {
      present: [deploymentRef],
      missing: [],
      unmanaged: [],
      readiness: { state: 'ready', message: '1/1 replicas ready' },
    };

    it('keeps the recorded endpoint when the workload reports none', async () => {
      const { store, row, reconciler } = await setup({ inspect: () => ready });
      expect(await reconciler.reconcileOnce(later())).toMatchObject({
        finished: 1,
      });
      expect(await store.getDeployment(row.id)).toMatchObject({
        status: 'deployed',
        endpoint: 'http://recorded-endpoint:8000',
      });
    });

    it('skips a row the deploy itself finished meanwhile, without notifying', async () => {
      const { store, row, reconciler, sent } = await setup({
        inspect: () => ready,
        beforeWrite: (s, id) =>
          s.updateDeployment(id, {
            status: 'failed',
            actor: 'user:default/guest',
            message: 'the task finished it first',
          }),
      });
      expect(await reconciler.reconcileOnce(later())).toMatchObject({
        examined: 1,
        finished: 0,
        skipped: 1,
      });
      expect(await store.getDeployment(row.id)).toMatchObject({
        status: 'failed',
        message: 'the task finished it first',
      });
      expect(sent).toEqual([]);
    });

    it('skips a rollback whose row was moved meanwhile', async () => {
      const { store, row, reconciler, sent } = await setup({
        inspect: () => ({
          present: [],
          missing: [deploymentRef],
          unmanaged: [],
        }),
        beforeWrite: (s, id) =>
          s.updateDeployment(id, {
            status: 'deployed',
            actor: 'user:default/guest',
          }),
      });
      expect(await reconciler.reconcileOnce(later())).toMatchObject({
        rolledBack: 0,
        skipped: 1,
      });
      expect((await store.getDeployment(row.id))?.status).toBe('deployed');
      expect(sent).toEqual([]);
    });

    it('says the workload was incomplete when it was never found', async () => {
      const { store, row, reconciler } = await setup({
        inspect: () => ({
          present: [],
          missing: [deploymentRef],
          unmanaged: [],
        }),
      });
      expect(await reconciler.reconcileOnce(later())).toMatchObject({
        rolledBack: 1,
      });
      expect((await store.getDeployment(row.id))?.message).toBe(
        'rolled back by the reconciler: the deploy was interrupted and its workload was incomplete; deleted nothing (already gone)',
      );
    });

    it('logs a notification it could not send, and still records the change', async () => {
      const { store, row, reconciler, logger } = await setup({
        inspect: () => ready,
        send: async () => {
          throw new Error('notifications backend is down');
        },
      });
      expect(await reconciler.reconcileOnce(later())).toMatchObject({
        finished: 1,
      });
      expect((await store.getDeployment(row.id))?.status).toBe('deployed');
      await eventually(() =>
        expect(logger.warn).toHaveBeenCalledWith(
          expect.stringMatching(
            /^Could not send notification ".*is deployed.*": Error: notifications backend is down$/,
          ),
        ),
      );
    });

    it('skips a row whose write fails for another reason than a conflict', async () => {
      const { store, row, reconciler, logger } = await setup({
        inspect: () => ready,
      });
      store.updateDeployment = async () => {
        throw new Error('database is read-only');
      };
      expect(await reconciler.reconcileOnce(later())).toMatchObject({
        examined: 1,
        skipped: 1,
      });
      expect(logger.warn).toHaveBeenCalledWith(
        `Could not reconcile deployment ${row.id}: database is read-only`,
      );
    });
  },
);
