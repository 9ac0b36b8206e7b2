import {
  DatabaseService,
  isDatabaseConflictError,
  resolvePackagePath,
} from '@backstage/backend-plugin-api';
import {
  ModelRequest,
  ModelRequestStatus,
  ModelRequestWithTimeline,
} from '@aic/plugin-model-marketplace-common';
import { ConflictError, NotFoundError } from '@backstage/errors';
import { Knex } from 'knex';
import { v4 as uuid } from 'uuid';
import { DuplicateRequestError } from './DuplicateRequestError';
import {
  NewModelRequest,
  PendingRequests,
  RequestListFilter,
  RequestStore,
  RequestTransition,
} from './RequestStore';
import { CombinedRequestWrites } from './combinedWrites';
import {
  outboxRows,
  supportsSingleStatementWrites,
  updateRequestRow,
} from './singleStatementWrites';
import {
  countByModel,
  countByStatus,
  countByTeam,
  pendingByPolicy,
} from './requestCounts';
import {
  type EventRow,
  OPEN_STATUSES,
  type RequestRow,
  toRequest,
} from './requestRows';
import { StoreWriteOptions, toCount, toIso } from './util';

const migrationsDir = resolvePackagePath(
  '@aic/plugin-model-marketplace-backend',
  'migrations',
);

/** Runs the plugin's migrations unless the database service says to skip them. */
export async function migrateModelMarketplaceDatabase(
  database: DatabaseService,
): Promise<Knex> {
  const client = await database.getClient();
  if (!database.migrations?.skip) {
    await client.migrate.latest({ directory: migrationsDir });
  }
  return client;
}

/** {@link RequestStore} on the plugin's knex database. */
export class DatabaseRequestStore implements RequestStore {
  static async create(options: {
    database: DatabaseService;
  }): Promise<DatabaseRequestStore> {
    return new DatabaseRequestStore(
      await migrateModelMarketplaceDatabase(options.database),
    );
  }

  /** Write combining of concurrent creates and decisions, on PostgreSQL. */
  private readonly combined?: CombinedRequestWrites;

  constructor(private readonly db: Knex) {
    if (supportsSingleStatementWrites(db)) {
      this.combined = new CombinedRequestWrites(db);
    }
  }

  async createRequest(input: NewModelRequest): Promise<ModelRequest> {
    const id = input.id ?? uuid();
    const now = new Date().toISOString();
    const status: ModelRequestStatus = input.autoApprove
      ? 'approved'
      : 'pending';
    const row: RequestRow = {
      id,
      model_ref: input.model,
      version: input.version ?? null,
      team_ref: input.team,
      purpose: input.purpose,
      status,
      requester_ref: input.requester,
      access_policy: input.accessPolicy,
      approvers: JSON.stringify(input.approvers),
      decided_by: null,
      decided_at: input.autoApprove ? now : null,
      decision_comment: null,
      created_at: now,
      updated_at: now,
      answers:
        input.answers && Object.keys(input.answers).length
          ? JSON.stringify(input.answers)
          : null,
    };
    const rows = { request: row, ...this.rowsOf(row, input) };
    if (this.combined) {
      // the open-request check is made by the insert statement itself
      for (let attempt = 0; attempt < 2; attempt++) {
        if (await this.combined.insert(rows)) {
          return toRequest(row);
        }
        await this.refuseIfOpen(input);
        // the request in the way was closed meanwhile: once more
      }
      throw new ConflictError(
        `Another request of ${input.team} for ${input.model} was being created or closed at the same time; try again`,
      );
    }
    await this.refuseIfOpen(input);
    try {
      await this.db.transaction(async trx => {
        await trx('model_requests').insert(row);
        if (rows.approvers.length) {
          await trx('model_request_approvers').insert(rows.approvers);
        }
        await trx('model_request_events').insert(rows.events);
        if (rows.outbox.length) {
          await trx('model_notification_outbox').insert(rows.outbox);
        }
      });
    } catch (error) {
      // Another request for the same team, model and version was inserted
      // since the check above: the unique index of migration
      // 20261201000001 refused this one.
      if (isDatabaseConflictError(error)) {
        await this.refuseIfOpen(input);
      }
      throw error;
    }
    return toRequest(row);
  }

  /**
   * Throws a `DuplicateRequestError` naming the team's open request for the
   * model and version, if there is one.
   */
  private async refuseIfOpen(input: NewModelRequest): Promise<void> {
    const open = await this.findOpenRequest(input);
    if (open) {
      throw new DuplicateRequestError(open);
    }
  }

  /**
   * The request of the team for the model and version that is still open
   * (pending or approved) or deployed, if any.
   */
  async findOpenRequest(filter: {
    model: string;
    team: string;
    version?: string;
  }): Promise<ModelRequest | undefined> {
    const row = await this.db<RequestRow>('model_requests')
      .where({ model_ref: filter.model, team_ref: filter.team })
      .where(qb =>
        filter.version
          ? qb.where('version', filter.version)
          : qb.whereNull('version'),
      )
      .whereIn('status', OPEN_STATUSES)
      .orderBy('created_at', 'asc')
      .first();
    return row ? toRequest(row) : undefined;
  }

  /** The approver, timeline and outbox rows of a new request. */
  private rowsOf(row: RequestRow, input: NewModelRequest) {
    const { id, created_at: now } = row;
    const approvers = [...new Set(input.approvers)].map(approver_ref => ({
      request_id: id,
      approver_ref,
    }));
    const event = {
      request_id: id,
      from_status: null,
      actor_ref: input.requester,
      created_at: now,
    };
    const events = [
      { ...event, action: 'created', to_status: 'pending', comment: null },
      ...(input.autoApprove
        ? [
            {
              ...event,
              action: 'approved',
              from_status: 'pending',
              to_status: 'approved',
              comment: `Approved automatically: the model's access policy is ${input.accessPolicy}`,
            },
          ]
        : []),
    ];
    return { approvers, events, outbox: outboxRows(input.notifications) };
  }

  async findRequest(id: string): Promise<ModelRequest | undefined> {
    const row = await this.db<RequestRow>('model_requests')
      .where({ id })
      .first();
    return row ? toRequest(row) : undefined;
  }

  async getRequest(id: string): Promise<ModelRequestWithTimeline | undefined> {
    const row = await this.db<RequestRow>('model_requests')
      .where({ id })
      .first();
    if (!row) {
      return undefined;
    }
    const events = await this.db<EventRow>('model_request_events')
      .where({ request_id: id })
      .orderBy('id', 'asc');
    return {
      ...toRequest(row),
      timeline: events.map(e => ({
        action: e.action,
        ...(e.from_status ? { fromStatus: e.from_status } : {}),
        toStatus: e.to_status,
        actor: e.actor_ref,
        at: toIso(e.created_at)!,
        ...(e.comment ? { comment: e.comment } : {}),
      })),
    };
  }

  async listRequests(
    filter: RequestListFilter,
  ): Promise<{ items: ModelRequest[]; totalItems: number }> {
    const query = this.db<RequestRow>('model_requests');
    const approverCheck = (refs: string[]) => (qb: Knex.QueryBuilder) =>
      qb
        .select(this.db.raw('1'))
        .from('model_request_approvers')
        .whereRaw('model_request_approvers.request_id = model_requests.id')
        .whereIn('model_request_approvers.approver_ref', refs);
    if (filter.requester && filter.approverRefs && filter.either) {
      const { requester, approverRefs } = filter;
      query.where(qb =>
        qb
          .where('requester_ref', requester)
          .orWhereExists(approverCheck(approverRefs)),
      );
    } else {
      if (filter.requester) {
        query.where('requester_ref', filter.requester);
      }
      if (filter.approverRefs) {
        query.whereExists(approverCheck(filter.approverRefs));
      }
    }
    if (filter.status?.length) {
      query.whereIn('status', filter.status);
    }
    if (filter.model) {
      query.where('model_ref', filter.model);
    }
    if (filter.team) {
      query.where('team_ref', filter.team);
    }
    const [{ count }] = await query.clone().count({ count: '*' }).clearOrder();
    const rows = await query
      .select('*')
      .orderBy([
        { column: 'created_at', order: 'desc' },
        { column: 'id', order: 'asc' },
      ])
      .limit(filter.limit)
      .offset(filter.offset);
    return { items: rows.map(toRequest), totalItems: toCount(count) };
  }

  async transition(
    id: string,
    transition: RequestTransition,
    options?: StoreWriteOptions,
  ): Promise<ModelRequest> {
    const now = new Date().toISOString();
    const update: Partial<RequestRow> = {
      status: transition.to,
      updated_at: now,
    };
    if (transition.isDecision) {
      update.decided_by = transition.actor;
      update.decided_at = now;
      update.decision_comment = transition.comment ?? null;
    }
    if (transition.isRevocation) {
      update.revoked_by = transition.actor;
      update.revoked_at = now;
      update.revoke_reason = transition.comment ?? null;
    }
    const event = {
      action: transition.action,
      to_status: transition.to,
      actor_ref: transition.actor,
      comment: transition.comment ?? null,
      created_at: now,
    };
    // Why nothing was updated: no such request, or not in a `from` status.
    const refuse = async (db: Knex): Promise<never> => {
      const current = await db<RequestRow>('model_requests')
        .where({ id })
        .first('status');
      if (!current) {
        throw new NotFoundError(`No request with id ${id}`);
      }
      throw new ConflictError(
        `Request ${id} is ${current.status}; it can be ${
          transition.action
        } only when ${transition.from.join(' or ')}`,
      );
    };
    if (
      this.combined &&
      !options?.trx &&
      transition.from.length === 1 &&
      transition.isDecision &&
      !transition.isRevocation &&
      transition.action === transition.to
    ) {
      const row = await this.combined.decide({
        id,
        from: transition.from[0],
        to: transition.to,
        actor: transition.actor,
        comment: event.comment,
        at: now,
        notifications: transition.notifications ?? [],
      });
      return row ? toRequest(row) : refuse(this.db);
    }
    if (this.combined && !options?.trx && transition.from.length === 1) {
      const row = await updateRequestRow(
        this.db,
        id,
        transition.from[0],
        update,
        event,
        transition.notifications,
      );
      return row ? toRequest(row) : refuse(this.db);
    }
    const run = async (trx: Knex.Transaction) => {
      // RETURNING: the updated row without another query (PostgreSQL and
      // SQLite both support it)
      const [row] = (await trx<RequestRow>('model_requests')
        .where({ id })
        .whereIn('status', transition.from)
        .update(update)
        .returning('*')) as RequestRow[];
      if (!row) {
        return refuse(trx);
      }
      // with one status to come from, the update says what it was
      const previous =
        transition.from.length === 1
          ? { to_status: transition.from[0] }
          : await trx('model_request_events')
              .where({ request_id: id })
              .orderBy('id', 'desc')
              .first('to_status');
      await trx('model_request_events').insert({
        request_id: id,
        from_status: previous?.to_status ?? transition.from[0],
        ...event,
      });
      const outbox = outboxRows(transition.notifications);
      if (outbox.length) {
        await trx('model_notification_outbox').insert(outbox);
      }
      return toRequest(row);
    };
    if (options?.trx) {
      return run(options.trx);
    }
    return this.db.transaction(run);
  }

  countByStatus(model: string): Promise<Record<ModelRequestStatus, number>> {
    return countByStatus(this.db, model);
  }

  countByTeam(
    model: string,
    statuses: ModelRequestStatus[],
  ): Promise<Map<string, number>> {
    return countByTeam(this.db, model, statuses);
  }

  countByModel(): Promise<Map<string, number>> {
    return countByModel(this.db);
  }

  pendingByPolicy(): Promise<PendingRequests[]> {
    return pendingByPolicy(this.db);
  }
}
