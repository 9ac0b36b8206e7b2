import type {
  CreateDeploymentRecordRequest,
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

/** Persistence of the deployments inventory. */
export interface DeploymentStore {
  createDeployment(
    input: CreateDeploymentRecordRequest,
    afterWrite?: AfterDeploymentWrite,
  ): Promise<DeploymentRecord>;
  /** Throws NotFoundError for an unknown id. */
  updateDeployment(
    id: string,
    update: UpdateDeploymentRecordRequest,
    afterWrite?: AfterDeploymentWrite,
  ): Promise<DeploymentRecord>;
  getDeployment(id: string): Promise<DeploymentRecord | undefined>;
  listDeployments(filter: DeploymentListFilter): Promise<DeploymentRecord[]>;
  /** Counts for one model: every record, and those deploying or deployed. */
  countForModel(model: string): Promise<{ total: number; active: number }>;
}
