import { DatabaseService } from '@backstage/backend-plugin-api';
import {
  CreateDeploymentRecordRequest,
  DeploymentEvent,
  DeploymentEventType,
  DeploymentObjectRef,
  DeploymentRecord,
  DeploymentRecordStatus,
  UpdateDeploymentRecordRequest,
} from '@aic/plugin-model-marketplace-common';
import { ConflictError, NotFoundError } from '@backstage/errors';
import { Knex } from 'knex';
import { v4 as uuid } from 'uuid';
import { migrateModelMarketplaceDatabase } from './DatabaseRequestStore';
import {
  AfterDeploymentWrite,
  DeploymentEventFilter,
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
  workload: string;
  objects: string;
  status: DeploymentRecordStatus;
  endpoint: string | null;
  request_id: string | null;
  deployed_by: string;
  message: string | null;
  created_at: Date | string;
  updated_at: Date | string;
};

type EventRow = {
  id: number | string;
  deployment_id: string;
  event: DeploymentEventType;
  status: DeploymentRecordStatus;
  model_ref: string;
  version: string;
  team_ref: string;
  cluster: string;
  namespace: string;
  workload: string;
  objects: string;
  actor_ref: string;
  message: string | null;
  created_at: Date | string;
};

/** Statuses in which a new deploy of the same workload must wait. */
const BUSY: DeploymentRecordStatus[] = ['deploying', 'rollback-failed'];

/**
 * The name of the workload among a deployment's objects: the first
 * Deployment or InferenceService, else the first object.
 */
export function workloadOf(objects: DeploymentObjectRef[]): string {
  const workload =
    objects.find(
      o => o.kind === 'Deployment' || o.kind === 'InferenceService',
    ) ?? objects[0];
  return workload?.name ?? '';
}

/** Whether an error is a violation of a unique index, on any of our drivers. */
function isUniqueViolation(error: unknown): boolean {
  const e = error as { code?: string; message?: string };
  return (
    e?.code === '23505' ||
    e?.code === 'ER_DUP_ENTRY' ||
    String(e?.code ?? '').startsWith('SQLITE_CONSTRAINT') ||
    /UNIQUE constraint failed|duplicate key/i.test(String(e?.message))
  );
}

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
    // Two concurrent first deploys of a workload both find no row; the
    // unique index lets one insert win and the other retries as a takeover
    // (which then sees the winner's `deploying` row and answers 409).
    for (let attempt = 0; ; attempt++) {
      try {
        return await this.db.transaction(trx =>
          this.createIn(trx, input, afterWrite),
        );
      } catch (error) {
        if (attempt < 2 && isUniqueViolation(error)) {
          continue;
        }
        throw error;
      }
    }
  }

  private async createIn(
    trx: Knex.Transaction,
    input: CreateDeploymentRecordRequest,
    afterWrite?: AfterDeploymentWrite,
  ): Promise<DeploymentRecord> {
    const now = new Date().toISOString();
    const workload = input.workload ?? workloadOf(input.objects);
    const key = {
      cluster: input.cluster,
      namespace: input.namespace,
      model_ref: input.model,
      workload,
    };
    const existing = await trx<DeploymentRow>('model_deployments')
      .where(key)
      .forUpdate()
      .first();
    const fields = {
      version: input.version,
      team_ref: input.team,
      objects: JSON.stringify(input.objects),
      status: input.status,
      endpoint: input.endpoint ?? null,
      request_id: input.requestId ?? null,
      deployed_by: input.deployedBy,
      message: input.message ?? null,
      updated_at: now,
    };
    let row: DeploymentRow;
    if (existing) {
      if (BUSY.includes(existing.status)) {
        throw new ConflictError(
          `${workload} in ${input.cluster}/${input.namespace} is ${
            existing.status
          } (deployment ${existing.id}, since ${toIso(
            existing.updated_at,
          )}); wait until it is finished or rolled back`,
        );
      }
      row = { ...existing, ...fields };
      await trx('model_deployments').where({ id: existing.id }).update(fields);
    } else {
      row = { id: uuid(), ...key, ...fields, created_at: now };
      await trx('model_deployments').insert(row);
    }
    const record = toRecord(row);
    const previous = existing ? toRecord(existing) : undefined;
    await this.addEvent(trx, record, input.deployedBy);
    await afterWrite?.(trx, record, previous);
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
      if (
        update.expectedStatus &&
        !update.expectedStatus.includes(before.status)
      ) {
        throw new ConflictError(
          `Deployment ${id} is ${
            before.status
          }, not ${update.expectedStatus.join(' or ')}`,
        );
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
      if (update.status === 'undeployed') {
        // The workload is gone: its live row goes, the history keeps it.
        patch.objects = '[]';
        await trx('model_deployments').where({ id }).delete();
      } else {
        await trx('model_deployments').where({ id }).update(patch);
      }
      const after = toRecord({ ...before, ...patch });
      const previous = toRecord(before);
      const heartbeat =
        update.status === before.status &&
        update.objects === undefined &&
        update.message === undefined &&
        update.endpoint === undefined;
      if (!heartbeat) {
        await this.addEvent(trx, after, update.actor);
      }
      await afterWrite?.(trx, after, previous);
      return after;
    });
  }

  private async addEvent(
    trx: Knex.Transaction,
    record: DeploymentRecord,
    actor: string,
  ) {
    let event: DeploymentEventType = record.status;
    if (record.status === 'deployed') {
      const deployedBefore = await trx('model_deployment_events')
        .where({ deployment_id: record.id })
        .whereIn('event', ['deployed', 'updated'])
        .first();
      if (deployedBefore) {
        event = 'updated';
      }
    }
    await trx('model_deployment_events').insert({
      deployment_id: record.id,
      event,
      status: record.status,
      model_ref: record.model,
      version: record.version,
      team_ref: record.team,
      cluster: record.cluster,
      namespace: record.namespace,
      workload: record.workload,
      objects: JSON.stringify(record.objects),
      actor_ref: actor,
      message: record.message ?? null,
      created_at: record.updatedAt,
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

  async listStale(options: {
    statuses: DeploymentRecordStatus[];
    before: Date;
  }): Promise<DeploymentRecord[]> {
    const rows = await this.db<DeploymentRow>('model_deployments')
      .whereIn('status', options.statuses)
      .where('updated_at', '<', options.before.toISOString())
      .orderBy('updated_at', 'asc');
    return rows.map(toRecord);
  }

  async listEvents(filter: DeploymentEventFilter): Promise<DeploymentEvent[]> {
    const query = this.db<EventRow>('model_deployment_events');
    if (filter.model) {
      query.where('model_ref', filter.model);
    }
    if (filter.team) {
      query.where('team_ref', filter.team);
    }
    if (filter.deploymentId) {
      query.where('deployment_id', filter.deploymentId);
    }
    const rows = await query.orderBy('id', 'desc').limit(filter.limit ?? 100);
    return rows.map(row => ({
      id: String(row.id),
      deploymentId: row.deployment_id,
      event: row.event,
      status: row.status,
      model: row.model_ref,
      version: row.version,
      team: row.team_ref,
      cluster: row.cluster,
      namespace: row.namespace,
      workload: row.workload,
      objects: JSON.parse(row.objects) as DeploymentObjectRef[],
      actor: row.actor_ref,
      ...(row.message ? { message: row.message } : {}),
      createdAt: toIso(row.created_at)!,
    }));
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

  async countActiveByTeam(model: string): Promise<Map<string, number>> {
    const rows = (await this.db('model_deployments')
      .where({ model_ref: model })
      .whereIn('status', ['deploying', 'deployed'])
      .select('team_ref')
      .count({ count: '*' })
      .groupBy('team_ref')) as Array<{ team_ref: string; count: unknown }>;
    return new Map(rows.map(r => [String(r.team_ref), toCount(r.count)]));
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
    workload: row.workload,
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
