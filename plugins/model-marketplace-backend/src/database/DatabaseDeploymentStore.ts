import { DatabaseService } from '@backstage/backend-plugin-api';
import {
  CreateDeploymentRecordRequest,
  DeploymentObjectRef,
  DeploymentRecord,
  DeploymentRecordStatus,
  UpdateDeploymentRecordRequest,
} from '@aic/plugin-model-marketplace-common';
import { NotFoundError } from '@backstage/errors';
import { Knex } from 'knex';
import { v4 as uuid } from 'uuid';
import { migrateModelMarketplaceDatabase } from './DatabaseRequestStore';
import {
  AfterDeploymentWrite,
  DeploymentListFilter,
  DeploymentStore,
} from './DeploymentStore';
import { toCount, toIso } from './util';

type DeploymentRow = {
  id: string;
  model_ref: string;
  version: string;
  team_ref: string;
  cluster: string;
  namespace: string;
  objects: string;
  status: DeploymentRecordStatus;
  endpoint: string | null;
  request_id: string | null;
  deployed_by: string;
  message: string | null;
  created_at: Date | string;
  updated_at: Date | string;
};

/** {@link DeploymentStore} on the plugin's knex database. */
export class DatabaseDeploymentStore implements DeploymentStore {
  static async create(options: {
    database: DatabaseService;
  }): Promise<DatabaseDeploymentStore> {
    return new DatabaseDeploymentStore(
      await migrateModelMarketplaceDatabase(options.database),
    );
  }

  constructor(private readonly db: Knex) {}

  async createDeployment(
    input: CreateDeploymentRecordRequest,
    afterWrite?: AfterDeploymentWrite,
  ): Promise<DeploymentRecord> {
    const now = new Date().toISOString();
    const row: DeploymentRow = {
      id: uuid(),
      model_ref: input.model,
      version: input.version,
      team_ref: input.team,
      cluster: input.cluster,
      namespace: input.namespace,
      objects: JSON.stringify(input.objects),
      status: input.status,
      endpoint: input.endpoint ?? null,
      request_id: input.requestId ?? null,
      deployed_by: input.deployedBy,
      message: input.message ?? null,
      created_at: now,
      updated_at: now,
    };
    const record = toRecord(row);
    await this.db.transaction(async trx => {
      await trx('model_deployments').insert(row);
      await afterWrite?.(trx, record);
    });
    return record;
  }

  async updateDeployment(
    id: string,
    update: UpdateDeploymentRecordRequest,
    afterWrite?: AfterDeploymentWrite,
  ): Promise<DeploymentRecord> {
    return this.db.transaction(async trx => {
      const before = await trx<DeploymentRow>('model_deployments')
        .where({ id })
        .forUpdate()
        .first();
      if (!before) {
        throw new NotFoundError(`No deployment with id ${id}`);
      }
      const patch: Partial<DeploymentRow> = {
        status: update.status,
        updated_at: new Date().toISOString(),
      };
      if (update.endpoint !== undefined) {
        patch.endpoint = update.endpoint;
      }
      if (update.objects !== undefined) {
        patch.objects = JSON.stringify(update.objects);
      }
      if (update.message !== undefined) {
        patch.message = update.message;
      }
      await trx('model_deployments').where({ id }).update(patch);
      const after = toRecord({ ...before, ...patch });
      await afterWrite?.(trx, after, toRecord(before));
      return after;
    });
  }

  async getDeployment(id: string): Promise<DeploymentRecord | undefined> {
    const row = await this.db<DeploymentRow>('model_deployments')
      .where({ id })
      .first();
    return row ? toRecord(row) : undefined;
  }

  async listDeployments(
    filter: DeploymentListFilter,
  ): Promise<DeploymentRecord[]> {
    const query = this.db<DeploymentRow>('model_deployments');
    if (filter.model) {
      query.where('model_ref', filter.model);
    }
    if (filter.team) {
      query.where('team_ref', filter.team);
    }
    if (filter.status?.length) {
      query.whereIn('status', filter.status);
    }
    const rows = await query.orderBy([
      { column: 'created_at', order: 'desc' },
      { column: 'id', order: 'asc' },
    ]);
    return rows.map(toRecord);
  }

  async countForModel(
    model: string,
  ): Promise<{ total: number; active: number }> {
    const rows = (await this.db('model_deployments')
      .where({ model_ref: model })
      .select('status')
      .count({ count: '*' })
      .groupBy('status')) as Array<{ status: string; count: unknown }>;
    let total = 0;
    let active = 0;
    for (const row of rows) {
      const n = toCount(row.count);
      total += n;
      if (row.status === 'deploying' || row.status === 'deployed') {
        active += n;
      }
    }
    return { total, active };
  }
}

function toRecord(row: DeploymentRow): DeploymentRecord {
  return {
    id: row.id,
    model: row.model_ref,
    version: row.version,
    team: row.team_ref,
    cluster: row.cluster,
    namespace: row.namespace,
    objects: JSON.parse(row.objects) as DeploymentObjectRef[],
    status: row.status,
    ...(row.endpoint ? { endpoint: row.endpoint } : {}),
    ...(row.request_id ? { requestId: row.request_id } : {}),
    deployedBy: row.deployed_by,
    createdAt: toIso(row.created_at)!,
    updatedAt: toIso(row.updated_at)!,
    ...(row.message ? { message: row.message } : {}),
  };
}
