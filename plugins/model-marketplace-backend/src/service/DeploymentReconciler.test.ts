import { TestDatabases } from '@backstage/backend-test-utils';
import type { DeploymentObjectRef } from '@aic/plugin-model-marketplace-common';
import type {
  InspectResult,
  RollbackResult,
} from '@aic/plugin-model-marketplace-node';
import {
  deploymentRef,
  deploymentStore,
  interruptedDeploy,
  later,
  ns,
  reconcilerOn,
} from '../__testUtils__/reconcilerFixtures';
import { RECONCILER_ACTOR, ReconcilerCluster } from './DeploymentReconciler';

/*
 * The reconciler on the real deployment store (SQLite and PostgreSQL). The
 * cluster is the reconciler's seam (`ReconcilerCluster`, which ModelDeployer
 * implements and packages/backend/src/crashRecovery.test.ts drives on a real
 * API server); here it answers what each case needs.
 */

jest.setTimeout(60_000);

const databases = TestDatabases.create({ ids: ['POSTGRES_17', 'SQLITE_3'] });

const serviceRef: DeploymentObjectRef = {
  apiVersion: 'v1',
  kind: 'Service',
  namespace: ns,
  name: 'mistral-7b-instruct-0-3-0',
};

const deploy = () =>
  interruptedDeploy({ objects: [deploymentRef, serviceRef] });

/** A cluster that answers inspect and rollback as the test scripts it. */
function scriptedCluster(script: {
  inspect: () => InspectResult;
  rollback?: (objects: DeploymentObjectRef[]) => RollbackResult;
}) {
  const calls: string[] = [];
  const cluster: ReconcilerCluster = {
    async inspect(name, objects, workload) {
      calls.push(`inspect ${name} ${objects.length} ${workload}`);
      return script.inspect();
    },
    async rollback(name, objects) {
      calls.push(`rollback ${name} ${objects.map(o => o.kind).join(',')}`);
      return script.rollback?.(objects) ?? { deleted: objects, failed: [] };
    },
  };
  return { cluster, calls };
}

describe.each(databases.eachSupportedId())(
  'DeploymentReconciler on %p',
  databaseId => {
    async function setup(cluster: ReconcilerCluster) {
      const store = await deploymentStore(await databases.init(databaseId));
      return { store, ...reconcilerOn({ store, cluster }) };
    }

    it('leaves a deploy that is still running alone', async () => {
      const { cluster, calls } = scriptedCluster({
        inspect: () => ({ present: [], missing: [], unmanaged: [] }),
      });
      const { store, reconciler } = await setup(cluster);
      const row = await store.createDeployment(deploy());
      expect(await reconciler.reconcileOnce()).toEqual({
        examined: 0,
        finished: 0,
        rolledBack: 0,
        rollbackFailed: 0,
        skipped: 0,
      });
      expect(calls).toEqual([]);
      expect((await store.getDeployment(row.id))?.status).toBe('deploying');
    });

    it('finishes an interrupted deploy whose objects are all there and ready', async () => {
      const { cluster } = scriptedCluster({
        inspect: () => ({
          present: [deploymentRef, serviceRef],
          missing: [],
          unmanaged: [],
          readiness: {
            state: 'ready',
            message: '1/1 replicas ready',
            url: 'http://mistral.team-assistants.svc:8000',
          },
        }),
      });
      const { store, reconciler, sent } = await setup(cluster);
      const row = await store.createDeployment(deploy());
      const report = await reconciler.reconcileOnce(later());
      expect(report).toMatchObject({ examined: 1, finished: 1 });
      const done = await store.getDeployment(row.id);
      expect(done).toMatchObject({
        status: 'deployed',
        endpoint: 'http://mistral.team-assistants.svc:8000',
      });
      expect(done?.message).toContain('finished by the reconciler');
      const events = await store.listEvents({ deploymentId: row.id } as any);
      expect(events[0]).toMatchObject({
        status: 'deployed',
        actor: RECONCILER_ACTOR,
      });
      expect(sent).toEqual([
        {
          entityRef: ['group:default/team-assistants'],
          title:
            'mistral-7b-instruct 0.3.0 is deployed (finished after an interruption)',
        },
      ]);
    });

    it('rolls back an interrupted deploy that is not ready, keeping objects that are not ours', async () => {
      const unmanaged = { ...serviceRef };
      const { cluster, calls } = scriptedCluster({
        inspect: () => ({
          present: [deploymentRef],
          missing: [],
          unmanaged: [unmanaged],
          readiness: { state: 'failed', message: 'image pull failed' },
        }),
      });
      const { store, reconciler, sent } = await setup(cluster);
      const row = await store.createDeployment(deploy());
      expect(await reconciler.reconcileOnce(later())).toMatchObject({
        examined: 1,
        rolledBack: 1,
      });
      expect(calls).toEqual([
        'inspect sandbox 2 mistral-7b-instruct-0-3-0',
        'rollback sandbox Deployment',
      ]);
      const done = await store.getDeployment(row.id);
      expect(done?.status).toBe('rolled-back');
      expect(done?.objects).toEqual([unmanaged]);
      expect(done?.message).toBe(
        `rolled back by the reconciler: the deploy was interrupted and its workload was not ready (image pull failed); deleted Deployment ${ns}/mistral-7b-instruct-0-3-0`,
      );
      expect(sent.map(s => s.title)).toEqual([
        'mistral-7b-instruct 0.3.0 was rolled back after an interruption or failed rollback',
      ]);
    });

    it('records a failed rollback once, notifies once, and retries it until it succeeds', async () => {
      let failing = true;
      const { cluster } = scriptedCluster({
        inspect: () => ({
          present: [deploymentRef],
          missing: [],
          unmanaged: [],
        }),
        rollback: objects =>
          failing
            ? {
                deleted: [],
                failed: objects.map(ref => ({ ref, message: 'forbidden' })),
              }
            : { deleted: [], failed: [] },
      });
      const { store, reconciler, sent } = await setup(cluster);
      const row = await store.createDeployment(deploy());

      expect(await reconciler.reconcileOnce(later())).toMatchObject({
        rollbackFailed: 1,
      });
      let current = await store.getDeployment(row.id);
      expect(current?.status).toBe('rollback-failed');
      expect(current?.objects).toEqual([deploymentRef]);
      expect(current?.message).toBe(
        `reconciler: the deploy was interrupted and its workload was incomplete; could not delete Deployment ${ns}/mistral-7b-instruct-0-3-0 (forbidden)`,
      );

      // a retry that fails again does not notify again
      expect(await reconciler.reconcileOnce(later())).toMatchObject({
        rollbackFailed: 1,
      });
      expect(sent.map(s => s.title)).toEqual([
        'Rollback of mistral-7b-instruct 0.3.0 failed',
      ]);

      failing = false;
      expect(await reconciler.reconcileOnce(later())).toMatchObject({
        rolledBack: 1,
      });
      current = await store.getDeployment(row.id);
      expect(current?.status).toBe('rolled-back');
      expect(current?.message).toBe(
        'rolled back by the reconciler: retrying a failed rollback; deleted nothing (already gone)',
      );
      expect(sent).toHaveLength(2);
    });

    it('skips a row it cannot inspect and says why, leaving it as it was', async () => {
      const { cluster } = scriptedCluster({
        inspect: () => {
          throw new Error('cluster sandbox is unreachable');
        },
      });
      const { store, reconciler, logger } = await setup(cluster);
      const row = await store.createDeployment(deploy());
      expect(await reconciler.reconcileOnce(later())).toEqual({
        examined: 1,
        finished: 0,
        rolledBack: 0,
        rollbackFailed: 0,
        skipped: 1,
      });
      expect(logger.warn).toHaveBeenCalledWith(
        `Could not reconcile deployment ${row.id}: cluster sandbox is unreachable`,
      );
      expect((await store.getDeployment(row.id))?.status).toBe('deploying');
    });
  },
);
