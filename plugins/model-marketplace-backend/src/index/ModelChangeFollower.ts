import { AuthService, LoggerService } from '@backstage/backend-plugin-api';
import {
  isModelEntity,
  ModelChangedEvent,
  ModelEntity,
  modelFingerprint,
} from '@aic/plugin-model-marketplace-common';
import { DatabaseModelChangeFeed } from './DatabaseModelChangeFeed';
import { ModelIndex, ModelIndexCatalog } from './ModelIndex';

/** How long after the first look a change the catalog does not serve yet is looked up again... */
const RETRY_MS = 250;
/** ...doubling up to this... */
const MAX_RETRY_MS = 2000;
/** ...or up to this during a flood (see {@link retryDelay}). */
const FLOOD_MAX_RETRY_MS = 30_000;
/**
 * How many looks (about a minute, or 13 minutes during a flood); then the
 * index takes what the catalog serves.
 */
const MAX_ATTEMPTS = 32;
/** Entities fetched per catalog call. */
const BATCH = 500;
/** More changes than this waiting to be followed make a flood. */
const FLOOD = BATCH;
/** During a flood the catalog's count of models is read this many times less often. */
const FLOOD_COUNT_SLOWDOWN = 12;
/**
 * The catalog's count of models is read at most once per this many times
 * a count takes, so that the counts of one replica keep the catalog busy at
 * most 5% of the time however large it grows...
 */
const COUNT_COST_FACTOR = 20;
/** ...but at least this often (a deletion shows only from a count). */
const MAX_COUNT_INTERVAL_MS = 5000;
/** How many of the last counts' times are kept: the shortest is what a count costs. */
const COUNT_TIMES_KEPT = 5;
/**
 * During a flood, fetched changes are put into the index at most this
 * often: each update indexes the overlay again, and hundreds of them (one
 * per batch of 500) were most of the index's CPU while 100,000 models came.
 */
const FLOOD_APPLY_MS = 10_000;

/** A followed change; `due` is when to look it up (performance.now() ms). */
type Pending = { fingerprint: string; attempts: number; due: number };

/** A fetched change held back during a flood: the entity, or null for a removal. */
type Held = { entity: ModelEntity | null; fingerprint?: string };

/**
 * How long to wait before looking up again a change the catalog did not
 * serve at look `attempts` (1 for the first): 250 ms, 500 ms, 1 s, then
 * every 2 s; during a flood (thousands of models being ingested) the
 * doubling goes on up to 30 s. Processing then runs minutes ahead of
 * stitching, and looking every 2 s asked the catalog for each model up to 32
 * times, competing with the ingestion it waited for (at 100,000 models the
 * catalog took 1.5 times as long as for as many Components).
 */
export function retryDelay(attempts: number, flood = false): number {
  return Math.min(
    RETRY_MS * 2 ** Math.max(attempts - 1, 0),
    flood ? FLOOD_MAX_RETRY_MS : MAX_RETRY_MS,
  );
}

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
 * How long after the last count of the catalog's models the next may be
 * read: `requestedMs`, or {@link COUNT_COST_FACTOR} times what a count costs
 * (the shortest of the last few answers: the catalog shares its process and
 * database, so one answer may have waited behind other work) up to
 * {@link MAX_COUNT_INTERVAL_MS}; {@link FLOOD_COUNT_SLOWDOWN} times that
 * during a flood. A deletion is seen only from a count, so the interval
 * bounds how long a deleted model stays in browse.
 */
export function countInterval(options: {
  requestedMs: number;
  countMs: number;
  flooded: boolean;
}): number {
  const { requestedMs, countMs, flooded } = options;
  return (
    Math.max(
      requestedMs,
      Math.min(COUNT_COST_FACTOR * countMs, MAX_COUNT_INTERVAL_MS),
    ) * (flooded ? FLOOD_COUNT_SLOWDOWN : 1)
  );
}

/**
 * What the catalog's count of models shows that announcements did not bring:
 *
 * - `deletion`: fewer served than indexed, so a model was deleted (a deleted
 *   entity is never processed again, so nothing announces it); looking up
 *   the indexed models by ref finds it;
 * - `unannounced`: more served than indexed, while the count stood still
 *   since the last look and no announced change is being followed: an
 *   addition whose announcement was lost (e.g. made while this replica
 *   restarted), which only a full listing can find;
 * - `undefined`: nothing.
 *
 * While the catalog ingests, it serves more models than the index holds
 * until their announcements are followed; a full listing then would only
 * repeat, at the cost of reading every model, what the follower does.
 * `indexed` must be read before the catalog is asked for `served`.
 */
export function countsShow(counts: {
  indexed: number | undefined;
  served: number;
  previouslyServed: number | undefined;
  following: boolean;
}): 'deletion' | 'unannounced' | undefined {
  const { indexed, served, previouslyServed, following } = counts;
  if (indexed === undefined) {
    return undefined;
  }
  if (served < indexed) {
    return 'deletion';
  }
  return served > indexed && served === previouslyServed && !following
    ? 'unannounced'
    : undefined;
}

/**
 * Keeps a {@link ModelIndex} in step with the catalog between full
 * refreshes, from announcements instead of listings:
 *
 * - changes announced in this process (the catalog module's events) are
 *   fetched by ref at once and written to the shared change feed;
 * - {@link ModelChangeFollower.poll} reads what other replicas wrote to the
 *   feed, and compares the catalog's count of Model entities with the
 *   index's: a model deleted from the catalog is never processed again, so
 *   a count that shows it ({@link countsShow}) makes the index look up its
 *   models by ref, and one that shows an addition nobody announced starts a
 *   full refresh.
 *
 * An announcement may come before the catalog serves the entity (processing
 * is followed by stitching), so a ref is fetched again until the served
 * entity has the announced fingerprint, less often the longer it takes
 * ({@link retryDelay}). After an update of the index the
 * next waits twice the time it took, counted from its end
 * ({@link nextFlushDelay}), which bounds their share of the CPU while
 * thousands of models arrive and does not delay a change after a quiet spell.
 * During a flood (more than 500 changes waiting) the fetched changes are
 * held and put into the index every 10 s, the back-off goes on to 30 s and
 * the count is read twelve times less often.
 */
export class ModelChangeFollower {
  private readonly pending = new Map<string, Pending>();
  private readonly held = new Map<string, Held>();
  private lastApplyAt = -Infinity;
  private unwritten: ModelChangedEvent[] = [];
  private timer: NodeJS.Timeout | undefined;
  private timerDue = 0;
  private flushing = false;
  private lastFlushMs = 0;
  private lastFlushEnd = 0;
  private feedPosition = 0;
  private lastCountAt = 0;
  private readonly countTimes: number[] = [];
  private lastCatalogCount: number | undefined;
  private stopped = false;

  constructor(
    private readonly options: {
      index: ModelIndex;
      catalog: ModelIndexCatalog;
      auth: AuthService;
      logger: LoggerService;
      feed: DatabaseModelChangeFeed;
      /**
       * How often poll() asks the catalog for its count of models (1 s), or
       * less often when a count takes long ({@link countInterval}).
       */
      countIntervalMs?: number;
      /** During a flood, how often fetched changes are put into the index. */
      floodApplyMs?: number;
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

  /**
   * Fetches the announced refs whose fingerprint the index does not hold. A
   * change already followed with the same fingerprint keeps its place and
   * its back-off: every announcement made here comes back from the feed
   * within a second, and starting it over would look it up again at once
   * while the catalog has not served it yet.
   */
  follow(changes: ModelChangedEvent[]) {
    for (const { entityRef, fingerprint } of changes) {
      const refKey = entityRef.toLocaleLowerCase('en-US');
      const known = this.held.has(refKey)
        ? this.held.get(refKey)!.fingerprint
        : this.options.index.fingerprintOf(refKey);
      if (known === fingerprint) {
        this.pending.delete(refKey);
      } else if (this.pending.get(refKey)?.fingerprint !== fingerprint) {
        this.pending.set(refKey, { fingerprint, attempts: 0, due: 0 });
      }
    }
    this.schedule(0);
  }

  /** The clock the count's timing is read on (ms). */
  private now(): number {
    return (this.options.now ?? Date.now)();
  }

  /** Whether so many changes wait to be followed that the catalog is ingesting a flood. */
  get flooded(): boolean {
    return this.floodedWith(0);
  }

  /**
   * {@link flooded}, counting also `taken` changes that have left `pending`
   * for the batch being fetched.
   */
  private floodedWith(taken: number): boolean {
    return this.pending.size + taken > FLOOD;
  }

  /** During a flood, how often fetched changes are put into the index. */
  private get floodApplyMs(): number {
    return this.options.floodApplyMs ?? FLOOD_APPLY_MS;
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
    const now = this.now();
    const interval = countInterval({
      requestedMs: this.options.countIntervalMs ?? 1000,
      countMs: this.countTimes.length ? Math.min(...this.countTimes) : 0,
      flooded: this.flooded,
    });
    // a poll a little early (its timer) still counts: else a count due every
    // second, polled every second, would be read every other second
    if (now - this.lastCountAt >= interval * 0.9) {
      this.lastCountAt = now;
      await this.compareCounts();
    }
  }

  /**
   * Looks for deleted models, or starts a full refresh, when the catalog's
   * count of models shows a change no announcement told of
   * ({@link countsShow}).
   */
  private async compareCounts() {
    const { index, catalog, auth } = this.options;
    // read before asking: every model it counts was served before the question
    const indexed = index.catalogCount;
    const credentials = await auth.getOwnServiceCredentials();
    const asked = this.now();
    const { totalItems } = await catalog
      .queryEntities(
        { filter: { kind: 'model' }, limit: 1, fields: ['metadata.uid'] },
        { credentials },
      )
      .finally(() => {
        this.countTimes.push(this.now() - asked);
        if (this.countTimes.length > COUNT_TIMES_KEPT) {
          this.countTimes.shift();
        }
      });
    const previous = this.lastCatalogCount;
    this.lastCatalogCount = totalItems;
    const shown = countsShow({
      indexed,
      served: totalItems,
      previouslyServed: previous,
      following: this.pending.size > 0 || this.held.size > 0 || this.flushing,
    });
    if (shown) {
      this.options.logger.debug(
        `Model index: the catalog now holds ${totalItems} models (the index counts ${indexed}); ${
          shown === 'deletion' ? 'looking for deleted models' : 'refreshing'
        }`,
      );
      await (shown === 'deletion' ? index.dropDeleted() : index.refresh());
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

  /** Flushes after `delayMs` (or sooner, if a flush is due sooner already). */
  private schedule(delayMs: number) {
    if (this.flushing || this.stopped) {
      return;
    }
    const now = performance.now();
    const wait = nextFlushDelay({
      requestedMs: delayMs,
      lastFlushMs: this.lastFlushMs,
      lastFlushEnd: this.lastFlushEnd,
      now,
    });
    if (this.timer) {
      if (this.timerDue <= now + wait) {
        return;
      }
      // a new change must not wait for a retry a few seconds away
      clearTimeout(this.timer);
    }
    this.timerDue = now + wait;
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
    try {
      // share this replica's announcements without waiting for the next poll
      await this.writeFeed().catch(error =>
        this.options.logger.warn(
          `Model index: could not write the change feed: ${error}`,
        ),
      );
      const batch = this.dueBatch(performance.now());
      if (batch.length) {
        await this.fetch(batch);
      }
      if (
        this.held.size &&
        (!this.flooded ||
          performance.now() - this.lastApplyAt >= this.floodApplyMs)
      ) {
        this.applyHeld();
      }
    } finally {
      this.flushing = false;
      this.lastFlushEnd = performance.now();
      this.lastFlushMs = this.lastFlushEnd - started;
      let earliest = this.held.size
        ? this.lastApplyAt + this.floodApplyMs
        : Infinity;
      for (const p of this.pending.values()) {
        earliest = Math.min(earliest, p.due);
        if (p.due === 0) {
          break;
        }
      }
      if (earliest < Infinity) {
        this.schedule(Math.max(earliest - this.lastFlushEnd, 0));
      }
    }
  }

  /**
   * Fetches a batch of followed changes: those the catalog serves with the
   * announced fingerprint are held for the index, the others looked up again
   * later ({@link retryDelay}).
   */
  private async fetch(batch: Array<[string, Pending]>) {
    const { catalog, auth } = this.options;
    const { items } = await catalog.getEntitiesByRefs(
      { entityRefs: batch.map(([refKey]) => refKey) },
      { credentials: await auth.getOwnServiceCredentials() },
    );
    const flood = this.floodedWith(batch.length);
    items.forEach((entity, i) => {
      const [refKey, p] = batch[i];
      const model = entity && isModelEntity(entity) ? entity : undefined;
      if (model && modelFingerprint(model) === p.fingerprint) {
        this.held.set(refKey, { entity: model, fingerprint: p.fingerprint });
      } else if (p.attempts + 1 < MAX_ATTEMPTS) {
        // not served yet; a newer announcement meanwhile wins
        if (!this.pending.has(refKey)) {
          const attempts = p.attempts + 1;
          this.pending.set(refKey, {
            ...p,
            attempts,
            due: performance.now() + retryDelay(attempts, flood),
          });
        }
      } else if (model) {
        this.held.set(refKey, { entity: model });
      } else {
        this.held.set(refKey, { entity: null });
      }
    });
  }

  /** Puts the held changes into the index. */
  private applyHeld() {
    const upserts: ModelEntity[] = [];
    const removed: string[] = [];
    for (const [refKey, { entity }] of this.held) {
      if (entity) {
        upserts.push(entity);
      } else {
        removed.push(refKey);
      }
    }
    this.held.clear();
    this.lastApplyAt = performance.now();
    this.options.index.applyChanges(upserts, removed);
  }

  /** Takes up to BATCH pending changes that are due, oldest first. */
  private dueBatch(now: number): Array<[string, Pending]> {
    const batch: Array<[string, Pending]> = [];
    for (const entry of this.pending) {
      if (entry[1].due <= now) {
        batch.push(entry);
        if (batch.length === BATCH) {
          break;
        }
      }
    }
    for (const [refKey] of batch) {
      this.pending.delete(refKey);
    }
    return batch;
  }
}
