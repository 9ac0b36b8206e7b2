import { TestDatabases } from '@backstage/backend-test-utils';
// the Kubernetes client's retry loop, internal to the node library
// eslint-disable-next-line @backstage/no-relative-monorepo-imports
import { withRetry } from '../../../model-marketplace-node/src/retryPolicy';
import { MarketplaceMetrics } from '../metrics/MarketplaceMetrics';
import { onDemandMeter } from '../__testUtils__/onDemandMeter';
import {
  deploymentRef,
  deploymentStore,
  interruptedDeploy,
  later,
  reconcilerOn,
} from '../__testUtils__/reconcilerFixtures';
import type { ReconcilerCluster } from './DeploymentReconciler';

/*
 * The reconciler's own Kubernetes retries and rollbacks land in the same
 * instruments as model:deploy's, with action `reconcile`. Real deployment
 * store (SQLite and PostgreSQL) and real OpenTelemetry SDK; the cluster is
 * the reconciler's seam, and its inspect goes through the Kubernetes
 * client's retry loop.
 */

jest.setTimeout(60_000);

const databases = TestDatabases.create({ ids: ['POSTGRES_17', 'SQLITE_3'] });

/** Marketplace metrics whose reader collects on demand. */
function onDemandMetrics() {
  const { meter, points } = onDemandMeter();
  return { points, metrics: new MarketplaceMetrics(meter) };
}

describe.each(databases.eachSupportedId())(
  'DeploymentReconciler metrics on %p',
  databaseId => {
    it('counts its retried Kubernetes calls and its rollbacks by outcome', async () => {
      const { points, metrics } = onDemandMetrics();

      let inspections = 0;
      let deletable = false;
      const cluster: ReconcilerCluster = {
        // the first inspection is answered 503 once, then succeeds
        inspect: () =>
          withRetry(
            async () => {
              inspections += 1;
              if (inspections === 1) {
                throw Object.assign(new Error('unavailable'), { code: 503 });
              }
              return { present: [deploymentRef], missing: [], unmanaged: [] };
            },
            { baseDelayMs: 1 },
          ),
        async rollback(_name, objects) {
          return deletable
            ? { deleted: objects, failed: [] }
            : {
                deleted: [],
                failed: objects.map(ref => ({ ref, message: 'forbidden' })),
              };
        },
      };
      const store = await deploymentStore(await databases.init(databaseId));
      const { reconciler } = reconcilerOn({ store, cluster, metrics });
      const row = await store.createDeployment(interruptedDeploy());

      // an interrupted deploy whose rollback is refused
      expect(await reconciler.reconcileOnce(later())).toMatchObject({
        rollbackFailed: 1,
      });
      expect(await points('model_marketplace.deploy.retries')).toEqual([
        {
          attributes: { action: 'reconcile', reason: 'server-error' },
          value: 1,
        },
      ]);
      expect(await points('model_marketplace.deploy.rollbacks')).toEqual([
        { attributes: { runtime: 'unknown', outcome: 'failed' }, value: 1 },
      ]);

      // the next pass retries the rollback, which now deletes everything
      deletable = true;
      expect(await reconciler.reconcileOnce(later())).toMatchObject({
        rolledBack: 1,
      });
      expect((await store.getDeployment(row.id))?.status).toBe('rolled-back');
      expect(await points('model_marketplace.deploy.rollbacks')).toEqual([
        { attributes: { runtime: 'unknown', outcome: 'failed' }, value: 1 },
        { attributes: { runtime: 'unknown', outcome: 'succeeded' }, value: 1 },
      ]);
      // no retry in the second pass
      expect(await points('model_marketplace.deploy.retries')).toEqual([
        {
          attributes: { action: 'reconcile', reason: 'server-error' },
          value: 1,
        },
      ]);
    });

    it('counts nothing when a pass finds nothing to do', async () => {
      const { points, metrics } = onDemandMetrics();
      const store = await deploymentStore(await databases.init(databaseId));
      const { reconciler } = reconcilerOn({
        store,
        cluster: {
          inspect: async () => {
            throw new Error('not called');
          },
          rollback: async () => {
            throw new Error('not called');
          },
        },
        metrics,
      });
      expect((await reconciler.reconcileOnce(later())).examined).toBe(0);
      expect(await points('model_marketplace.deploy.retries')).toEqual([]);
      expect(await points('model_marketplace.deploy.rollbacks')).toEqual([]);
    });
  },
);
