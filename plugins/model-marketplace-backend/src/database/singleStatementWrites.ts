import type { Knex } from 'knex';
import type { RequestRow } from './requestRows';

/**
 * Writes of the request store as one statement each on PostgreSQL, with
 * data-modifying `WITH` clauses: one round trip instead of a transaction of
 * four to six, so that a pooled connection is held for a fraction of the
 * time. A single statement is atomic, like the transaction it replaces.
 * SQLite has no data-modifying `WITH`; the store uses transactions there.
 */

/** Whether `db` is PostgreSQL, where the single-statement writes apply. */
export function supportsSingleStatementWrites(db: Knex): boolean {
  return db.client.config.client === 'pg';
}

/** The outbox rows of serialized notifications (see NotificationOutbox). */
export function outboxRows(notifications: string[] | undefined) {
  return (notifications ?? []).map(notification => ({
    notification,
    attempts: 0,
  }));
}

/**
 * Updates a request whose status is `from` and adds its timeline row, in
 * one statement. Returns the updated row, or undefined when no request with
 * that id has that status (nothing was written then).
 */
export async function updateRequestRow(
  db: Knex,
  id: string,
  from: string,
  update: Record<string, unknown>,
  event: {
    action: string;
    to_status: string;
    actor_ref: string;
    comment: string | null;
    created_at: string;
  },
  notifications: string[] = [],
): Promise<RequestRow | undefined> {
  let query = db
    .with(
      'updated',
      db('model_requests')
        .where({ id })
        .where('status', from)
        .update(update)
        .returning('*'),
    )
    .with(
      'event',
      db.raw(
        `INSERT INTO model_request_events
          (request_id, action, from_status, to_status, actor_ref, comment, created_at)
         SELECT id, ?, ?, ?, ?, ?, ? FROM updated`,
        [
          event.action,
          from,
          event.to_status,
          event.actor_ref,
          event.comment,
          event.created_at,
        ],
      ),
    );
  // the outbox rows only if the update applied, like the timeline row
  notifications.forEach((notification, i) => {
    query = query.with(
      `outbox${i}`,
      db.raw(
        `INSERT INTO model_notification_outbox (notification, attempts)
         SELECT ?, 0 FROM updated`,
        [notification],
      ),
    );
  });
  const rows: RequestRow[] = await query.select('*').from('updated');
  return rows[0];
}
