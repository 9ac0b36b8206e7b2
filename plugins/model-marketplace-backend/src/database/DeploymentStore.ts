import type {
  CreateDeploymentRecordRequest,
  DeploymentEvent,
  DeploymentRecord,
  DeploymentRecordStatus,
  UpdateDeploymentRecordRequest,
} from '@aic/plugin-model-marketplace-common';
import type { Knex } from 'knex';

/** Filters of {@link DeploymentStore.listDeployments}. */
export type DeploymentListFilter = {
  model?: string;
  team?: string;
  status?: DeploymentRecordStatus[];
};

/** Runs inside the write's transaction, after the row is written. */
export type AfterDeploymentWrite = (
  trx: Knex.Transaction,
  record: DeploymentRecord,
  previous?: DeploymentRecord,
) => Promise<void>;

/** Filters of {@link DeploymentStore.listEvents}. */
export type DeploymentEventFilter = {
  model?: string;
  team?: string;
  deploymentId?: string;
  limit?: number;
};

/**
 * Persistence of the deployments inventory: one live row per workload
 * (cluster, namespace, model, workload name), and a history of events kept
 * apart.
 */
export interface DeploymentStore {
  /**
   * Starts or records a deploy of a workload. Creates the workload's live
   * row, or takes over its existing row (same id) when the workload was
   * deployed or failed before. Throws ConflictError while another deploy of
   * the workload is running (`deploying`) or its rollback failed.
   */
  createDeployment(
    input: CreateDeploymentRecordRequest,
    afterWrite?: AfterDeploymentWrite,
  ): Promise<DeploymentRecord>;
  /**
   * Changes a live row. Status `undeployed` removes the row (the history
   * keeps it). Throws NotFoundError for an unknown id and ConflictError
   * when `expectedStatus` does not hold.
   */
  updateDeployment(
    id: string,
    update: UpdateDeploymentRecordRequest,
    afterWrite?: AfterDeploymentWrite,
  ): Promise<DeploymentRecord>;
  getDeployment(id: string): Promise<DeploymentRecord | undefined>;
  /** The live rows. */
  listDeployments(filter: DeploymentListFilter): Promise<DeploymentRecord[]>;
  /** Live rows with one of `statuses` not changed since `before`. */
  listStale(options: {
    statuses: DeploymentRecord['status'][];
    before: Date;
  }): Promise<DeploymentRecord[]>;
  /** History, newest first. */
  listEvents(filter: DeploymentEventFilter): Promise<DeploymentEvent[]>;
  /** Counts for one model: every live row, and those deploying or deployed. */
  countForModel(model: string): Promise<{ total: number; active: number }>;
  /** Live rows of one model that are deploying or deployed, per team. */
  countActiveByTeam(model: string): Promise<Map<string, number>>;
}
