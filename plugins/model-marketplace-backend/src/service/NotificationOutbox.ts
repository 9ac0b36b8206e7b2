import type { LoggerService } from '@backstage/backend-plugin-api';
import type {
  NotificationSendOptions,
  NotificationService,
} from '@backstage/plugin-notifications-node';
import type { Knex } from 'knex';
import { randomUUID } from 'node:crypto';

const TABLE = 'model_notification_outbox';

type OutboxRow = {
  id: number | string;
  notification: string;
  attempts: number;
};

/** A claimed row with its notification, parsed. */
type ClaimedNotification = {
  row: OutboxRow;
  notification: NotificationSendOptions;
};

/** Options of {@link NotificationOutbox}. */
export type NotificationOutboxOptions = {
  db: Knex;
  notifications: NotificationService;
  logger: LoggerService;
  /**
   * How long a claimed row may stay unsent before another drain takes it
   * over (its drain crashed, or its send failed); default 60 s.
   */
  claimTtlMs?: number;
  /** How many rows a drain claims at once; default 50. */
  batchSize?: number;
  /** Failed sends after which a notification is dropped; default 5. */
  maxAttempts?: number;
  /** The clock, for tests. Default `Date.now`. */
  now?: () => number;
};

/**
 * Durable, asynchronous sending of the marketplace's notifications.
 *
 * {@link NotificationOutbox.enqueue} writes the notification to the table
 * `model_notification_outbox` and returns: the caller acknowledges its
 * action only after that, so an acknowledged action's notification is never
 * lost, and the request path never waits for the notifications backend
 * (which resolves groups to users through the catalog).
 *
 * A drain claims a batch of rows and sends them in order: the rows of one
 * set of recipients one after the other, different sets side by side; it
 * deletes the batch's sent rows in one statement. Callers that must not
 * lose a notification write its row in their own transaction
 * ({@link NotificationOutbox.serialize}) and kick the drain after the
 * commit. Each enqueue starts a drain in this process (unless one runs); the
 * scheduled task (global: one replica at a time) drains what is left, such
 * as rows of a replica that died. Drains of several replicas never send the
 * same row: a drain first claims rows with a conditional update that only
 * takes unclaimed rows or rows whose claim is older than `claimTtlMs`. A
 * failed send keeps its claim (and so do the rows after it for the same
 * recipients) and is retried after `claimTtlMs`, up to `maxAttempts`
 * times. Only a crash between a send and the batch's deletion sends a row
 * again (after `claimTtlMs`); as each row has a scope of its own
 * (`payload.scope`), the notifications backend then updates the
 * notification it already stored for each user rather than adding another.
 */
export class NotificationOutbox {
  private readonly claimTtlMs: number;
  private readonly batchSize: number;
  private readonly maxAttempts: number;
  private readonly now: () => number;
  private running?: Promise<void>;
  private again = false;
  private stopped = false;

  constructor(private readonly options: NotificationOutboxOptions) {
    this.claimTtlMs = options.claimTtlMs ?? 60_000;
    this.batchSize = options.batchSize ?? 50;
    this.maxAttempts = options.maxAttempts ?? 5;
    this.now = options.now ?? Date.now;
  }

  /**
   * The outbox row's `notification` column for `notification`: what a
   * caller writes to the table in its own transaction (then it calls
   * {@link NotificationOutbox.kick} once committed).
   */
  static serialize(notification: NotificationSendOptions): string {
    // a scope of its own: should the row be sent again (see the class
    // comment), the notifications backend updates the notification it
    // stored the first time instead of storing a second one
    const payload = {
      ...notification.payload,
      scope:
        notification.payload.scope ??
        `model-marketplace-notification-${randomUUID()}`,
    };
    return JSON.stringify({ ...notification, payload });
  }

  /** Stores `notification` for sending and starts a drain in the background. */
  async enqueue(notification: NotificationSendOptions): Promise<void> {
    await this.store([NotificationOutbox.serialize(notification)]);
    this.kick();
  }

  /**
   * Stores outbox rows ({@link NotificationOutbox.serialize}) for sending,
   * without starting a drain: the caller kicks one.
   */
  async store(rows: string[]): Promise<void> {
    await this.options
      .db(TABLE)
      .insert(rows.map(notification => ({ notification, attempts: 0 })));
  }

  /** Starts a drain unless one runs; a running one drains again after. */
  kick(): void {
    if (this.stopped) {
      return;
    }
    if (this.running) {
      this.again = true;
      return;
    }
    this.again = false;
    this.running = this.drainWhile(() => !this.stopped)
      .then(() => undefined)
      .catch(error =>
        this.options.logger.warn(`Could not send notifications: ${error}`),
      )
      .finally(() => {
        this.running = undefined;
        if (this.again) {
          this.kick();
        }
      });
  }

  /**
   * Stops the background drains (the running one after its current send;
   * the rest of its claim is sent by a later drain after `claimTtlMs`) and
   * waits for it; {@link NotificationOutbox.drain} still works.
   */
  async stop(): Promise<void> {
    this.stopped = true;
    await this.running;
  }

  /**
   * Sends every row this drain can claim, until none is left; returns how
   * many were sent.
   */
  drain(): Promise<number> {
    return this.drainWhile(() => true);
  }

  private async drainWhile(go: () => boolean): Promise<number> {
    let sent = 0;
    while (go()) {
      const { token, rows } = await this.claim();
      if (!rows.length) {
        break;
      }
      sent += await this.sendBatch(token, rows, go);
    }
    return sent;
  }

  /**
   * Sends a claimed batch: the rows of each set of recipients one after the
   * other in order, different sets side by side; then deletes the sent rows
   * in one statement. A failed send leaves the rest of its set claimed, to
   * be sent after it when the claim expires, so that nobody receives two
   * notifications out of order.
   */
  private async sendBatch(
    token: string,
    rows: OutboxRow[],
    go: () => boolean,
  ): Promise<number> {
    // each row's notification parsed once, grouped by its recipients in
    // claim order
    const sets = new Map<string, ClaimedNotification[]>();
    for (const row of rows) {
      const notification: NotificationSendOptions = JSON.parse(
        row.notification,
      );
      const key = JSON.stringify(notification.recipients);
      const set = sets.get(key);
      if (set) {
        set.push({ row, notification });
      } else {
        sets.set(key, [{ row, notification }]);
      }
    }
    const sentIds: Array<number | string> = [];
    await Promise.all(
      Array.from(sets.values(), async set => {
        for (const claimed of set) {
          // a stopped drain leaves the rest of its claim to a later drain
          if (!go() || !(await this.sendOne(token, claimed))) {
            return;
          }
          sentIds.push(claimed.row.id);
        }
      }),
    );
    for (let i = 0; i < sentIds.length; i += 500) {
      await this.options
        .db(TABLE)
        .whereIn('id', sentIds.slice(i, i + 500))
        .where({ claimed_by: token })
        .delete();
    }
    return sentIds.length;
  }

  /** How many rows wait to be sent, claimed or not. */
  async pending(): Promise<number> {
    const [{ count }] = await this.options.db(TABLE).count({ count: '*' });
    return Number(count);
  }

  private async claim(): Promise<{ token: string; rows: OutboxRow[] }> {
    const { db } = this.options;
    const token = randomUUID();
    const now = this.now();
    const claimable = (qb: Knex.QueryBuilder) =>
      qb
        .whereNull('claimed_by')
        .orWhere('claimed_at', '<', now - this.claimTtlMs);
    const ids = (
      await db(TABLE)
        .where(claimable)
        .orderBy('id', 'asc')
        .limit(this.batchSize)
        .select('id')
    ).map(r => r.id);
    if (!ids.length) {
      return { token, rows: [] };
    }
    // the condition again, so that a row another drain claimed meanwhile is
    // left alone (PostgreSQL re-checks it on the row's latest version)
    await db(TABLE)
      .whereIn('id', ids)
      .where(claimable)
      .update({ claimed_by: token, claimed_at: now });
    const rows: OutboxRow[] = await db(TABLE)
      .where({ claimed_by: token })
      .orderBy('id', 'asc')
      .select('id', 'notification', 'attempts');
    return { token, rows };
  }

  private async sendOne(
    token: string,
    { row, notification }: ClaimedNotification,
  ): Promise<boolean> {
    const { db, notifications, logger } = this.options;
    try {
      await notifications.send(notification);
      return true;
    } catch (error) {
      const attempts = Number(row.attempts) + 1;
      const title = notification.payload.title;
      if (attempts >= this.maxAttempts) {
        logger.error(
          `Dropped notification "${title}" after ${attempts} failed sends: ${error}`,
        );
        await db(TABLE).where({ id: row.id, claimed_by: token }).delete();
      } else {
        logger.warn(
          `Could not send notification "${title}" (attempt ${attempts}; retried later): ${error}`,
        );
        await db(TABLE)
          .where({ id: row.id, claimed_by: token })
          .update({ attempts });
      }
      return false;
    }
  }
}
