import type { Knex } from 'knex';
import { OPEN_STATUSES, type RequestRow } from './requestRows';
import { updateRequestRow } from './singleStatementWrites';
import { WriteCombiner } from './WriteCombiner';

/** The rows of one new request (see insertManyRequestRows). */
export type RequestInsert = {
  request: Record<string, unknown>;
  approvers: Array<Record<string, unknown>>;
  events: Array<Record<string, unknown>>;
  outbox: Array<Record<string, unknown>>;
};

/** A decision (approve or reject) of one pending request. */
export type DecisionWrite = {
  id: string;
  /** The status the request must still have. */
  from: string;
  to: string;
  actor: string;
  comment: string | null;
  /** ISO timestamp of the decision. */
  at: string;
  /** Serialized notifications for the outbox, written only if it applies. */
  notifications: string[];
};

/** The columns of a row as quoted SQL identifiers. */
function columnList(row: Record<string, unknown>): string {
  return Object.keys(row)
    .map(key => `"${key.replaceAll('"', '""')}"`)
    .join(', ');
}

/**
 * Inserts several requests, with their approvers, timeline rows and outbox
 * rows, in one statement, together with the check that no request of the
 * same team, model and version is open: a request whose team already holds
 * an open one (or that clashes with an earlier one of the same batch, by the
 * partial unique index of open requests) is left out with all its rows.
 * Returns, for each insert, whether it was written. The check costs no
 * separate read, and is made in the same statement as the write.
 */
export async function insertManyRequestRows(
  db: Knex,
  inserts: RequestInsert[],
): Promise<boolean[]> {
  // every request row has the same columns (DatabaseRequestStore's RequestRow)
  const columns = columnList(inserts[0].request);
  const outbox = inserts.flatMap(i =>
    i.outbox.map(o => [i.request.id as string, o.notification as string]),
  );
  const result = await db.raw(
    `WITH input AS (
       SELECT * FROM json_populate_recordset(NULL::model_requests, ?::json)
         WITH ORDINALITY AS i
     ),
     inserted AS (
       INSERT INTO model_requests (${columns})
       SELECT ${columns} FROM input i
        WHERE NOT EXISTS (
          SELECT 1 FROM model_requests r
           WHERE r.model_ref = i.model_ref AND r.team_ref = i.team_ref
             AND r.version IS NOT DISTINCT FROM i.version
             AND r.status = ANY(?::text[]))
        ORDER BY i.ordinality
       ON CONFLICT DO NOTHING
       RETURNING id
     ),
     approvers AS (
       INSERT INTO model_request_approvers (request_id, approver_ref)
       SELECT a.request_id, a.approver_ref
         FROM json_populate_recordset(NULL::model_request_approvers, ?::json) a
        WHERE a.request_id IN (SELECT id FROM inserted)
     ),
     events AS (
       INSERT INTO model_request_events
         (request_id, action, from_status, to_status, actor_ref, comment, created_at)
       SELECT e.request_id, e.action, e.from_status, e.to_status, e.actor_ref,
              e.comment, e.created_at
         FROM json_populate_recordset(NULL::model_request_events, ?::json)
              WITH ORDINALITY AS e
        WHERE e.request_id IN (SELECT id FROM inserted)
        ORDER BY e.ordinality
     ),
     outbox AS (
       INSERT INTO model_notification_outbox (notification, attempts)
       SELECT o.notification, 0
         FROM unnest(?::text[], ?::text[]) WITH ORDINALITY AS o(request_id, notification, ord)
        WHERE o.request_id IN (SELECT id FROM inserted)
        ORDER BY o.ord
     )
     SELECT id FROM inserted`,
    [
      JSON.stringify(inserts.map(i => i.request)),
      OPEN_STATUSES,
      JSON.stringify(inserts.flatMap(i => i.approvers)),
      JSON.stringify(inserts.flatMap(i => i.events)),
      outbox.map(o => o[0]),
      outbox.map(o => o[1]),
    ] as unknown[] as Knex.RawBinding[],
  );
  const written = new Set(
    (result.rows as Array<{ id: string }>).map(r => r.id),
  );
  return inserts.map(i => written.has(i.request.id as string));
}

/**
 * Applies several decisions in one statement: each request that still has
 * its `from` status gets the decision, its timeline row and its outbox rows
 * (in the order of `writes`). Returns the updated row of each decision, or
 * undefined for one that did not apply (unknown id, or another status).
 * No two writes may have the same id.
 */
export async function decideMany(
  db: Knex,
  writes: DecisionWrite[],
): Promise<Array<RequestRow | undefined>> {
  const column = <K extends keyof DecisionWrite>(key: K) =>
    writes.map(w => w[key]);
  const notifications = writes.flatMap(w =>
    w.notifications.map(notification => [w.id, notification]),
  );
  const result = await db.raw(
    `WITH input AS (
       SELECT * FROM unnest(?::text[], ?::text[], ?::text[], ?::text[], ?::text[], ?::timestamptz[])
         WITH ORDINALITY AS i(id, from_status, to_status, actor, comment, at, ord)
     ),
     updated AS (
       UPDATE model_requests r
          SET status = i.to_status, updated_at = i.at, decided_by = i.actor,
              decided_at = i.at, decision_comment = i.comment
         FROM input i
        WHERE r.id = i.id AND r.status = i.from_status
       RETURNING r.*
     ),
     events AS (
       INSERT INTO model_request_events
         (request_id, action, from_status, to_status, actor_ref, comment, created_at)
       SELECT i.id, i.to_status, i.from_status, i.to_status, i.actor, i.comment, i.at
         FROM input i JOIN updated u ON u.id = i.id
        ORDER BY i.ord
     ),
     outbox AS (
       INSERT INTO model_notification_outbox (notification, attempts)
       SELECT n.notification, 0
         FROM unnest(?::text[], ?::text[]) WITH ORDINALITY AS n(id, notification, ord)
         JOIN updated u ON u.id = n.id
        ORDER BY n.ord
     )
     SELECT * FROM updated`,
    // arrays as bindings (the pg driver sends them as PostgreSQL arrays);
    // the comments may be null, which knex's binding type leaves out
    [
      column('id'),
      column('from'),
      column('to'),
      column('actor'),
      column('comment'),
      column('at'),
      notifications.map(n => n[0]),
      notifications.map(n => n[1]),
    ] as unknown[] as Knex.RawBinding[],
  );
  const byId = new Map<string, RequestRow>(
    (result.rows as RequestRow[]).map(r => [r.id, r]),
  );
  return writes.map(w => byId.get(w.id));
}

/**
 * The request store's write combining on PostgreSQL (see
 * {@link WriteCombiner}): concurrent creates are inserted by one statement,
 * concurrent decisions applied by another, each batch in one commit.
 */
export class CombinedRequestWrites {
  private readonly inserts: WriteCombiner<RequestInsert, boolean>;
  private readonly decisions: WriteCombiner<
    DecisionWrite,
    RequestRow | undefined
  >;

  constructor(db: Knex, options: { maxBatch?: number } = {}) {
    this.inserts = new WriteCombiner({
      writeAll: inserts => insertManyRequestRows(db, inserts),
      writeOne: async insert => (await insertManyRequestRows(db, [insert]))[0],
      maxBatch: options.maxBatch,
    });
    this.decisions = new WriteCombiner({
      writeAll: writes => decideMany(db, writes),
      writeOne: w =>
        updateRequestRow(
          db,
          w.id,
          w.from,
          {
            status: w.to,
            updated_at: w.at,
            decided_by: w.actor,
            decided_at: w.at,
            decision_comment: w.comment,
          },
          {
            action: w.to,
            to_status: w.to,
            actor_ref: w.actor,
            comment: w.comment,
            created_at: w.at,
          },
          w.notifications,
        ),
      // two decisions of one request: the second sees the first's outcome
      keyOf: w => w.id,
      maxBatch: options.maxBatch,
    });
  }

  /**
   * Inserts a request's rows together with other concurrent inserts; false
   * when its team already holds an open request for the model and version
   * (nothing of it was written then).
   */
  insert(rows: RequestInsert): Promise<boolean> {
    return this.inserts.write(rows);
  }

  /** Applies a decision together with other concurrent decisions. */
  decide(write: DecisionWrite): Promise<RequestRow | undefined> {
    return this.decisions.write(write);
  }
}
