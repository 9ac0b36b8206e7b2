import { AuthService, LoggerService } from '@backstage/backend-plugin-api';
import {
  isModelEntity,
  ModelChangedEvent,
  ModelEntity,
  modelFingerprint,
} from '@aic/plugin-model-marketplace-common';
import { DatabaseModelChangeFeed } from './DatabaseModelChangeFeed';
import { ModelIndex, ModelIndexCatalog } from './ModelIndex';

/** How often a change the catalog does not serve yet is looked up again. */
const RETRY_MS = 250;
/** How many times; then the index takes what the catalog serves. */
const MAX_ATTEMPTS = 60;
/** Entities fetched per catalog call. */
const BATCH = 500;

type Pending = { fingerprint: string; attempts: number };

/**
 * How long to wait before the next flush: `requestedMs`, but no earlier
 * than twice the last flush's duration after its end, so that index updates
 * take at most a third of the time while a flood of changes lasts. A change
 * after a quiet spell is not held back by how long the flood's last flush
 * took (times in ms on one clock).
 */
export function nextFlushDelay(options: {
  requestedMs: number;
  lastFlushMs: number;
  lastFlushEnd: number;
  now: number;
}): number {
  const { requestedMs, lastFlushMs, lastFlushEnd, now } = options;
  return Math.max(requestedMs, lastFlushEnd + 2 * lastFlushMs - now, 0);
}

/**
 * Keeps a {@link ModelIndex} in step with the catalog between full
 * refreshes, from announcements instead of listings:
 *
 * - changes announced in this process (the catalog module's events) are
 *   fetched by ref at once and written to the shared change feed;
 * - {@link ModelChangeFollower.poll} reads what other replicas wrote to the
 *   feed, and compares the catalog's count of Model entities with the last
 *   one seen: a model deleted from the catalog is never processed again, so
 *   a changed count starts a full refresh.
 *
 * An announcement may come before the catalog serves the entity (processing
 * is followed by stitching), so a ref is fetched again until the served
 * entity has the announced fingerprint. After an update of the index the
 * next waits twice the time it took, counted from its end
 * ({@link nextFlushDelay}), which bounds their share of the CPU while
 * thousands of models arrive and does not delay a change after a quiet spell.
 */
export class ModelChangeFollower {
  private readonly pending = new Map<string, Pending>();
  private unwritten: ModelChangedEvent[] = [];
  private timer: NodeJS.Timeout | undefined;
  private flushing = false;
  private lastFlushMs = 0;
  private lastFlushEnd = 0;
  private feedPosition = 0;
  private lastCountAt = 0;
  private stopped = false;

  constructor(
    private readonly options: {
      index: ModelIndex;
      catalog: ModelIndexCatalog;
      auth: AuthService;
      logger: LoggerService;
      feed: DatabaseModelChangeFeed;
      /** How often poll() asks the catalog for its count of models. */
      countIntervalMs?: number;
      now?: () => number;
    },
  ) {}

  /** Starts reading the feed after its newest row; call before the first full refresh. */
  async start() {
    this.feedPosition = await this.options.feed.head();
  }

  /** Stops the timers; pending changes are left to the next full refresh. */
  stop() {
    this.stopped = true;
    clearTimeout(this.timer);
  }

  /** A change announced in this process: follow it and share it with the other replicas. */
  announcedHere(change: ModelChangedEvent) {
    this.unwritten.push(change);
    this.follow([change]);
  }

  /** Fetches the announced refs whose fingerprint the index does not hold. */
  follow(changes: ModelChangedEvent[]) {
    for (const { entityRef, fingerprint } of changes) {
      const refKey = entityRef.toLocaleLowerCase('en-US');
      if (this.options.index.fingerprintOf(refKey) !== fingerprint) {
        this.pending.set(refKey, { fingerprint, attempts: 0 });
      } else {
        this.pending.delete(refKey);
      }
    }
    this.schedule(0);
  }

  /**
   * Reads the feed (changes other replicas announced) and the catalog's
   * count of models; runs every second or so on every replica.
   */
  async poll() {
    await this.writeFeed();
    for (;;) {
      const { changes, lastId } = await this.options.feed.readAfter(
        this.feedPosition,
      );
      this.feedPosition = lastId;
      if (changes.length) {
        this.follow(changes);
      }
      if (changes.length < 1000) {
        break;
      }
    }
    const now = (this.options.now ?? Date.now)();
    if (now - this.lastCountAt >= (this.options.countIntervalMs ?? 5000)) {
      this.lastCountAt = now;
      const { index, catalog, auth } = this.options;
      const { totalItems } = await catalog.queryEntities(
        { filter: { kind: 'model' }, limit: 1, fields: ['metadata.uid'] },
        { credentials: await auth.getOwnServiceCredentials() },
      );
      if (
        index.catalogCount !== undefined &&
        totalItems !== index.catalogCount
      ) {
        this.options.logger.debug(
          `Model index: the catalog now holds ${totalItems} models (was ${index.catalogCount}); refreshing`,
        );
        await index.refresh();
      }
    }
  }

  private async writeFeed() {
    if (!this.unwritten.length) {
      return;
    }
    const batch = this.unwritten;
    this.unwritten = [];
    try {
      await this.options.feed.append(batch);
    } catch (error) {
      this.unwritten = batch.concat(this.unwritten);
      throw error;
    }
  }

  private schedule(delayMs: number) {
    if (this.timer || this.flushing || this.stopped) {
      return;
    }
    const wait = nextFlushDelay({
      requestedMs: delayMs,
      lastFlushMs: this.lastFlushMs,
      lastFlushEnd: this.lastFlushEnd,
      now: performance.now(),
    });
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.flush().catch(error =>
        this.options.logger.warn(
          `Model index: could not follow changes: ${error}`,
        ),
      );
    }, wait);
    this.timer.unref?.();
  }

  private async flush() {
    this.flushing = true;
    const started = performance.now();
    let retries = false;
    try {
      // share this replica's announcements without waiting for the next poll
      await this.writeFeed().catch(error =>
        this.options.logger.warn(
          `Model index: could not write the change feed: ${error}`,
        ),
      );
      const batch = [...this.pending].slice(0, BATCH);
      if (!batch.length) {
        return;
      }
      for (const [refKey] of batch) {
        this.pending.delete(refKey);
      }
      const { catalog, auth, index } = this.options;
      const { items } = await catalog.getEntitiesByRefs(
        { entityRefs: batch.map(([refKey]) => refKey) },
        { credentials: await auth.getOwnServiceCredentials() },
      );
      const upserts: ModelEntity[] = [];
      const removed: string[] = [];
      items.forEach((entity, i) => {
        const [refKey, p] = batch[i];
        const model = entity && isModelEntity(entity) ? entity : undefined;
        if (model && modelFingerprint(model) === p.fingerprint) {
          upserts.push(model);
        } else if (p.attempts + 1 < MAX_ATTEMPTS) {
          // not served yet; a newer announcement meanwhile wins
          if (!this.pending.has(refKey)) {
            this.pending.set(refKey, { ...p, attempts: p.attempts + 1 });
            retries = true;
          }
        } else if (model) {
          upserts.push(model);
        } else {
          removed.push(refKey);
        }
      });
      index.applyChanges(upserts, removed);
    } finally {
      this.flushing = false;
      this.lastFlushEnd = performance.now();
      this.lastFlushMs = this.lastFlushEnd - started;
      if (this.pending.size) {
        const onlyRetries =
          retries && [...this.pending.values()].every(p => p.attempts > 0);
        this.schedule(onlyRetries ? RETRY_MS : 0);
      }
    }
  }
}
