import { DatabaseService } from '@backstage/backend-plugin-api';
import { Knex } from 'knex';
import { ModelChangedEvent } from '@aic/plugin-model-marketplace-common';
import { migrateModelMarketplaceDatabase } from '../database/DatabaseRequestStore';

const TABLE = 'model_index_changes';

/**
 * The change feed every replica's browse index reads: Model entities the
 * catalog processed with new content, in the order they were announced
 * (`model_index_changes`).
 */
export class DatabaseModelChangeFeed {
  static async create(options: {
    database: DatabaseService;
  }): Promise<DatabaseModelChangeFeed> {
    return new DatabaseModelChangeFeed(
      await migrateModelMarketplaceDatabase(options.database),
    );
  }

  constructor(private readonly db: Knex) {}

  /** Appends announced changes. */
  async append(changes: ModelChangedEvent[]): Promise<void> {
    for (let i = 0; i < changes.length; i += 500) {
      await this.db(TABLE).insert(
        changes.slice(i, i + 500).map(c => ({
          entity_ref: c.entityRef,
          fingerprint: c.fingerprint,
        })),
      );
    }
  }

  /** The id of the newest change, 0 for none: where a new reader starts. */
  async head(): Promise<number> {
    const row = await this.db(TABLE).max({ id: 'id' }).first();
    return Number(row?.id ?? 0);
  }

  /** Up to `limit` changes after `afterId`, oldest first. */
  async readAfter(
    afterId: number,
    limit = 1000,
  ): Promise<{ changes: ModelChangedEvent[]; lastId: number }> {
    const rows: Array<{
      id: number | string;
      entity_ref: string;
      fingerprint: string;
    }> = await this.db(TABLE)
      .select('id', 'entity_ref', 'fingerprint')
      .where('id', '>', afterId)
      .orderBy('id', 'asc')
      .limit(limit);
    return {
      changes: rows.map(r => ({
        entityRef: r.entity_ref,
        fingerprint: r.fingerprint,
      })),
      lastId: rows.length ? Number(rows[rows.length - 1].id) : afterId,
    };
  }

  /** Deletes changes older than `olderThanMs`; returns how many. */
  async prune(olderThanMs: number): Promise<number> {
    return this.db(TABLE)
      .where('created_at', '<', new Date(Date.now() - olderThanMs))
      .delete();
  }
}
