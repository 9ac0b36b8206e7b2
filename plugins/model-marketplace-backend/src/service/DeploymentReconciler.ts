import type { LoggerService } from '@backstage/backend-plugin-api';
import { ConflictError, isError } from '@backstage/errors';
import type { NotificationService } from '@backstage/plugin-notifications-node';
import type {
  DeploymentObjectRef,
  DeploymentRecord,
} from '@aic/plugin-model-marketplace-common';
import {
  InspectResult,
  RollbackResult,
  describeRef,
  observeRetries,
} from '@aic/plugin-model-marketplace-node';
import type {
  AfterDeploymentWrite,
  DeploymentStore,
} from '../database/DeploymentStore';
import type { MarketplaceMetrics } from '../metrics/MarketplaceMetrics';
import {
  reconciledNotification,
  rollbackFailedNotification,
} from './notificationMessages';

/** The cluster side the reconciler needs; `ModelDeployer` provides it. */
export interface ReconcilerCluster {
  inspect(
    cluster: string,
    objects: DeploymentObjectRef[],
    workload?: string,
  ): Promise<InspectResult>;
  rollback(
    cluster: string,
    objects: DeploymentObjectRef[],
  ): Promise<RollbackResult>;
}

/** What one pass did, for logs and tests. */
export type ReconcileReport = {
  examined: number;
  finished: number;
  rolledBack: number;
  rollbackFailed: number;
  skipped: number;
};

/** The reconciler's actor in the inventory history. */
export const RECONCILER_ACTOR = 'plugin:model-marketplace/reconciler';

/**
 * Keeps the deployments inventory equal to the clusters when deploys do not
 * finish their rows themselves (the backend was killed and the task was not
 * recovered, or a rollback failed):
 *
 * - a row `deploying` that has not changed for `staleAfterMs` (a running
 *   deploy refreshes its row every minute) is compared with the cluster:
 *   if its recorded objects are all there and the workload is ready, it is
 *   marked `deployed`; otherwise the recorded objects labelled managed-by
 *   model-marketplace are deleted and the row is marked `rolled-back`.
 * - a row `rollback-failed` is retried on every pass: its leftover objects
 *   are deleted and the row marked `rolled-back`.
 *
 * Every change is conditional on the row's status (a deploy that finishes
 * at the same moment wins or loses cleanly, never both), lands in the
 * history, and notifies the team. Objects not labelled as ours are never
 * touched.
 */
export class DeploymentReconciler {
  constructor(
    private readonly options: {
      store: DeploymentStore;
      cluster: ReconcilerCluster;
      logger: LoggerService;
      notifications?: NotificationService;
      /** How long a `deploying` row may go unchanged. */
      staleAfterMs: number;
      /** Runs in the transaction of each row change (moves requests along). */
      afterWrite?: AfterDeploymentWrite;
      /** Counts the Kubernetes API retries and the rollbacks of a pass. */
      metrics?: Pick<
        MarketplaceMetrics,
        'reconcilerRetried' | 'reconcilerRolledBack'
      >;
    },
  ) {}

  async reconcileOnce(now = new Date()): Promise<ReconcileReport> {
    const { store, metrics } = this.options;
    const report: ReconcileReport = {
      examined: 0,
      finished: 0,
      rolledBack: 0,
      rollbackFailed: 0,
      skipped: 0,
    };
    const stuck = await store.listStale({
      statuses: ['deploying'],
      before: new Date(now.getTime() - this.options.staleAfterMs),
    });
    const failedRollbacks = await store.listStale({
      statuses: ['rollback-failed'],
      before: now,
    });
    for (const row of [...stuck, ...failedRollbacks]) {
      report.examined += 1;
      try {
        const outcome = await observeRetries(
          reason => metrics?.reconcilerRetried(reason),
          () => this.reconcileRow(row),
        );
        report[outcome] += 1;
        if (outcome === 'rolledBack' || outcome === 'rollbackFailed') {
          metrics?.reconcilerRolledBack(
            outcome === 'rolledBack' ? 'succeeded' : 'failed',
          );
        }
      } catch (error) {
        report.skipped += 1;
        this.options.logger.warn(
          `Could not reconcile deployment ${row.id}: ${
            isError(error) ? error.message : String(error)
          }`,
        );
      }
    }
    if (report.examined) {
      this.options.logger.info(
        `Reconciled deployments: ${JSON.stringify(report)}`,
      );
    }
    return report;
  }

  private async reconcileRow(
    row: DeploymentRecord,
  ): Promise<Exclude<keyof ReconcileReport, 'examined'>> {
    const { cluster } = this.options;
    const seen = await cluster.inspect(row.cluster, row.objects, row.workload);
    if (
      row.status === 'deploying' &&
      row.objects.length > 0 &&
      seen.present.length === row.objects.length &&
      seen.readiness?.state === 'ready'
    ) {
      const done = await this.update(row, {
        status: 'deployed',
        endpoint: seen.readiness.url ?? row.endpoint,
        message:
          'finished by the reconciler: the deploy was interrupted after its objects were applied, and they are ready',
      });
      if (done) {
        this.notify(done, reconciledNotification(done));
      }
      return done ? 'finished' : 'skipped';
    }

    // Roll back: delete the recorded objects that are ours.
    const result = await cluster.rollback(row.cluster, seen.present);
    const why =
      row.status === 'deploying'
        ? `the deploy was interrupted and its workload was ${
            seen.readiness
              ? `not ready (${seen.readiness.message})`
              : 'incomplete'
          }`
        : 'retrying a failed rollback';
    if (result.failed.length) {
      const leftovers = result.failed.map(f => f.ref);
      const done = await this.update(row, {
        status: 'rollback-failed',
        objects: leftovers,
        message: `reconciler: ${why}; could not delete ${result.failed
          .map(f => `${describeRef(f.ref)} (${f.message})`)
          .join('; ')}`,
      });
      // A first failure notifies; retries of a known failure do not spam.
      if (done && row.status !== 'rollback-failed') {
        this.notify(done, rollbackFailedNotification(done));
      }
      return done ? 'rollbackFailed' : 'skipped';
    }
    const done = await this.update(row, {
      status: 'rolled-back',
      objects: seen.unmanaged,
      message: `rolled back by the reconciler: ${why}; deleted ${
        result.deleted.map(describeRef).join(', ') || 'nothing (already gone)'
      }`,
    });
    if (done) {
      this.notify(done, reconciledNotification(done));
    }
    return done ? 'rolledBack' : 'skipped';
  }

  /** A conditional update; undefined when someone else moved the row first. */
  private async update(
    row: DeploymentRecord,
    change: {
      status: DeploymentRecord['status'];
      objects?: DeploymentObjectRef[];
      endpoint?: string;
      message: string;
    },
  ): Promise<DeploymentRecord | undefined> {
    try {
      return await this.options.store.updateDeployment(
        row.id,
        {
          ...change,
          message: change.message.slice(0, 4000),
          actor: RECONCILER_ACTOR,
          expectedStatus: [row.status],
        },
        this.options.afterWrite,
      );
    } catch (error) {
      if (error instanceof ConflictError) {
        return undefined;
      }
      throw error;
    }
  }

  private notify(
    record: DeploymentRecord,
    payload: {
      title: string;
      description: string;
      link: string;
      severity: 'normal' | 'high';
    },
  ) {
    this.options.notifications
      ?.send({
        recipients: { type: 'entity', entityRef: [record.team] },
        payload: { ...payload, topic: 'model-marketplace' },
      })
      .catch(error =>
        this.options.logger.warn(
          `Could not send notification "${payload.title}": ${error}`,
        ),
      );
  }
}
