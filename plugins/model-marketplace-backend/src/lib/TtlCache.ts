/** Options of {@link TtlCache}. */
export type TtlCacheOptions = {
  /** How long a value is reused, in milliseconds. */
  ttlMs: number;
  /**
   * How many entries the cache holds at most; when full, expired entries go
   * first, then the oldest. Default 10 000.
   */
  maxEntries?: number;
  /** The clock, for tests. Default `Date.now`. */
  now?: () => number;
};

/**
 * A small in-process cache whose entries expire after a fixed time. The
 * plugin's short-lived caches (permission decisions, group membership,
 * display names, live deployment status) all use it.
 *
 * {@link TtlCache.load} shares one pending load between concurrent callers
 * of the same key and forgets a load that fails, so an error is never
 * served from the cache. Values stay in memory and are never serialised:
 * that is why this is not Backstage's `CacheService`, whose values must be
 * JSON and which cannot share an in-flight promise.
 */
export class TtlCache<V> {
  private readonly entries = new Map<string, { expires: number; value: V }>();
  private readonly maxEntries: number;
  private readonly now: () => number;

  constructor(private readonly options: TtlCacheOptions) {
    this.maxEntries = options.maxEntries ?? 10_000;
    this.now = options.now ?? Date.now;
  }

  /** The value stored under `key`, unless it expired. */
  get(key: string): V | undefined {
    const entry = this.entries.get(key);
    if (!entry) {
      return undefined;
    }
    if (entry.expires <= this.now()) {
      this.entries.delete(key);
      return undefined;
    }
    return entry.value;
  }

  /** Stores `value` under `key` for the cache's TTL. */
  set(key: string, value: V): void {
    this.entries.delete(key);
    if (this.entries.size >= this.maxEntries) {
      this.evict();
    }
    this.entries.set(key, { expires: this.now() + this.options.ttlMs, value });
  }

  /** Removes `key`. */
  delete(key: string): void {
    this.entries.delete(key);
  }

  /** How many entries are stored, expired or not. */
  get size(): number {
    return this.entries.size;
  }

  /**
   * The cached promise for `key`, or a new one from `load`, stored until it
   * expires. A rejected load is removed at once, so the next call retries.
   */
  load<T>(this: TtlCache<Promise<T>>, key: string, load: () => Promise<T>) {
    const cached = this.get(key);
    if (cached) {
      return cached;
    }
    const value = load();
    this.set(key, value);
    value.catch(() => {
      if (this.entries.get(key)?.value === value) {
        this.entries.delete(key);
      }
    });
    return value;
  }

  /**
   * Makes room for one entry. Every entry lives for the same TTL and `set`
   * re-inserts, so Map order (insertion order) is also expiry order: the
   * first entries are the expired ones and, after them, the oldest. Only the
   * entries that go are visited.
   */
  private evict() {
    const now = this.now();
    for (const [key, entry] of this.entries) {
      if (entry.expires > now && this.entries.size < this.maxEntries) {
        break;
      }
      this.entries.delete(key);
    }
  }
}
