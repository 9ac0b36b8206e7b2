import {
  AuthService,
  BackstageCredentials,
  LoggerService,
} from '@backstage/backend-plugin-api';
import { stringifyEntityRef } from '@backstage/catalog-model';
import type { CatalogService } from '@backstage/plugin-catalog-node';
import {
  isModelEntity,
  ModelEntity,
} from '@aic/plugin-model-marketplace-common';
import { IndexedModel, toIndexed } from './indexedModel';
import {
  ModelIndexQuery,
  ModelIndexResult,
  SearchableIndex,
  searchIndex,
} from './searchIndex';
import { LayeredIndex } from './LayeredIndex';

export type { IndexedModel } from './indexedModel';

/** The catalog calls the index makes. */
export type ModelIndexCatalog = Pick<
  CatalogService,
  'queryEntities' | 'getEntitiesByRefs' | 'getEntityFacets'
>;
export type { ModelIndexQuery, ModelIndexResult } from './searchIndex';

/**
 * The overlay is compacted into a new base once it holds more than a share
 * of the index's models ({@link compactShare}: from this...
 */
const COMPACT_SHARE = 1 / 16;
/** ...to this; or {@link MIN_COMPACT_AT} models)... */
const MAX_COMPACT_SHARE = 1 / 2;
const MIN_COMPACT_AT = 256;
/** ...or once no change has come for this long. */
const COMPACT_AFTER_MS = 30_000;

/**
 * The share of an index of `size` models that the overlay may hold before
 * it is compacted, when updates bring about `changed` models each. Each
 * update indexes the whole overlay again (work in proportion to the
 * overlay) and each compaction the whole index; for updates of `changed`
 * models the sum per model is lowest when the overlay may grow to
 * √(2 · changed / size) of the index. Single changes keep 1/16; while a
 * flood of models arrives (about 1,000 every 10 s) the overlay may grow to
 * a fifth or a sixth of 50,000 to 100,000 models, at most to half. Before,
 * 1/16 throughout meant rebuilding the index about 17 times over while it
 * grew from nothing, the larger part of the index's work during an
 * ingestion of 50,000 models (with the garbage each build leaves).
 */
export function compactShare(size: number, changed: number): number {
  const best = Math.sqrt((2 * changed) / Math.max(size, 1));
  return Math.min(Math.max(best, COMPACT_SHARE), MAX_COMPACT_SHARE);
}

/** The only fields the cheap change listing asks the catalog for. */
const LIST_FIELDS = [
  'kind',
  'metadata.namespace',
  'metadata.name',
  'metadata.uid',
  'metadata.etag',
];

/**
 * An in-memory index of the catalog's Model entities, with full text,
 * facets and sorting. {@link ModelIndex.refresh} keeps it in step with the
 * catalog cheaply: it lists only uids and etags and fetches just the
 * entities that are new or changed.
 */
export class ModelIndex {
  private readonly catalog: ModelIndexCatalog;
  private readonly auth: Pick<AuthService, 'getOwnServiceCredentials'>;
  private readonly logger: LoggerService;
  private readonly pageSize: number;
  private readonly now: () => number;

  private readonly compactAfterMs: number;

  private byUid = new Map<string, IndexedModel>();
  private byRef = new Map<string, IndexedModel>();
  private popularity = new Map<string, number>();
  private layers = LayeredIndex.build([]);
  /** What searches read; replaced as a whole by each change. */
  private state: SearchableIndex = {
    ...this.layers.searchable,
    popularity: this.popularity,
  };
  private compactTimer: NodeJS.Timeout | undefined;
  private firstRefresh: Promise<void> | undefined;
  private resolveFirstRefresh: (() => void) | undefined;

  constructor(options: {
    catalog: ModelIndexCatalog;
    auth: Pick<AuthService, 'getOwnServiceCredentials'>;
    logger: LoggerService;
    /** Models per listing page and per lookup by refs (1,000). */
    pageSize?: number;
    now?: () => number;
    /** How long after the last change a pending overlay is compacted. */
    compactAfterMs?: number;
  }) {
    this.compactAfterMs = options.compactAfterMs ?? COMPACT_AFTER_MS;
    this.catalog = options.catalog;
    this.auth = options.auth;
    this.logger = options.logger;
    this.pageSize = options.pageSize ?? 1000;
    this.now = options.now ?? Date.now;
    this.firstRefresh = new Promise(resolve => {
      this.resolveFirstRefresh = resolve;
    });
  }

  /** Resolves once the first refresh has finished (successfully or not). */
  whenReady(): Promise<void> {
    return this.firstRefresh ?? Promise.resolve();
  }

  /** Number of indexed models. */
  get size(): number {
    return this.layers.size;
  }

  get(ref: string): IndexedModel | undefined {
    return this.byRef.get(ref.toLocaleLowerCase('en-US'));
  }

  /** The indexed models in name order. */
  all(): readonly IndexedModel[] {
    return this.layers.models;
  }

  /** Replaces the request counts used by the `popular` sort. */
  setPopularity(counts: Map<string, number>) {
    this.popularity = new Map(
      [...counts].map(([ref, n]) => [ref.toLocaleLowerCase('en-US'), n]),
    );
    this.state = { ...this.state, popularity: this.popularity };
  }

  /** Counts one more request for a model. */
  addPopularity(ref: string) {
    const key = ref.toLocaleLowerCase('en-US');
    this.popularity.set(key, (this.popularity.get(key) ?? 0) + 1);
  }

  /**
   * Brings the index in step with the catalog: lists uids and etags of every
   * Model entity, fetches the new or changed ones by ref and drops the
   * deleted ones.
   */
  async refresh(): Promise<{
    added: number;
    changed: number;
    removed: number;
  }> {
    try {
      return await this.doRefresh();
    } finally {
      this.resolveFirstRefresh?.();
      this.resolveFirstRefresh = undefined;
    }
  }

  private async doRefresh() {
    const credentials = await this.auth.getOwnServiceCredentials();
    const listed = new Map<string, { ref: string; etag?: string }>();
    let cursor: string | undefined;
    do {
      const page = await this.catalog.queryEntities(
        cursor
          ? { cursor, limit: this.pageSize, fields: LIST_FIELDS }
          : {
              filter: { kind: 'model' },
              limit: this.pageSize,
              fields: LIST_FIELDS,
            },
        { credentials },
      );
      for (const e of page.items) {
        const ref = stringifyEntityRef(e);
        listed.set(e.metadata.uid ?? ref, { ref, etag: e.metadata.etag });
      }
      cursor = page.items.length ? page.pageInfo.nextCursor : undefined;
    } while (cursor);

    const toFetch: Array<{ uid: string; ref: string; etag?: string }> = [];
    for (const [uid, { ref, etag }] of listed) {
      const existing = this.byUid.get(uid);
      if (!existing || !etag || existing.etag !== etag) {
        toFetch.push({ uid, ref, etag });
      }
    }
    // decided now: a change applied while the entities are fetched stays
    const removed = [...this.byUid.values()]
      .filter(m => !listed.has(m.uid))
      .map(m => m.refKey);
    const fetched = await this.modelsByRef(
      toFetch.map(c => c.ref),
      500,
      credentials,
    );
    const upserts: ModelEntity[] = [];
    fetched.forEach((entity, i) => {
      if (entity) {
        upserts.push(entity);
      } else {
        removed.push(toFetch[i].ref.toLocaleLowerCase('en-US'));
      }
    });
    const result = this.applyChanges(upserts, removed);
    this.catalogCount = listed.size;
    return result;
  }

  /**
   * Drops the indexed models the catalog no longer serves. A deletion is
   * announced by nothing, so the follower notices it from the catalog's
   * count; which models went is found from one facet query of
   * `metadata.uid` over `kind=model`, which the catalog answers from its
   * search table with one grouped query without reading any entity (at
   * 100,000 models, looking up every indexed ref took 12.6 s, a listing
   * 43 s). The few indexed models whose uid is missing are then looked up by
   * ref: one registered again under its ref (a new uid) replaces the indexed
   * one instead of leaving browse. A model announced again meanwhile is
   * kept as announced.
   */
  async dropDeleted(): Promise<{ removed: number }> {
    const credentials = await this.auth.getOwnServiceCredentials();
    // taken before asking: each of these was served before the question
    const indexed = [...this.byRef.values()];
    const { facets } = await this.catalog.getEntityFacets(
      { filter: { kind: 'model' }, facets: ['metadata.uid'] },
      { credentials },
    );
    const servedUids = new Set(facets['metadata.uid']?.map(f => f.value));
    const missing = indexed.filter(m => !servedUids.has(m.uid));
    const fetched = await this.modelsByRef(
      missing.map(m => m.refKey),
      this.pageSize,
      credentials,
    );
    const upserts: ModelEntity[] = [];
    const gone: string[] = [];
    missing.forEach((m, i) => {
      if (this.byRef.get(m.refKey) !== m) {
        return; // changed meanwhile: the follower holds it newer
      }
      const entity = fetched[i];
      if (entity) {
        upserts.push(entity);
      } else {
        gone.push(m.refKey);
      }
    });
    const { removed } = this.applyChanges(upserts, gone);
    return { removed };
  }

  /**
   * The Model the catalog serves for each ref, in order (undefined where it
   * serves none, or an entity of another kind), asking for `perCall` refs a
   * call.
   */
  private async modelsByRef(
    refs: string[],
    perCall: number,
    credentials: BackstageCredentials,
  ): Promise<Array<ModelEntity | undefined>> {
    const models: Array<ModelEntity | undefined> = [];
    for (let i = 0; i < refs.length; i += perCall) {
      const { items } = await this.catalog.getEntitiesByRefs(
        { entityRefs: refs.slice(i, i + perCall) },
        { credentials },
      );
      for (const entity of items) {
        models.push(entity && isModelEntity(entity) ? entity : undefined);
      }
    }
    return models;
  }

  /**
   * The number of Model entities the catalog listed in the last full
   * refresh, plus those added and less those removed by changes applied
   * since (so that an addition followed at once and a deletion do not cancel
   * out in the count); undefined before the first refresh.
   */
  catalogCount: number | undefined;

  /** The fingerprint of the indexed entity with this (lower-cased) ref. */
  fingerprintOf(refKey: string): string | undefined {
    return this.byRef.get(refKey)?.fingerprint;
  }

  /**
   * Puts fetched entities into the index (new, or replacing the entity with
   * the same ref) and drops the models with the given lower-cased refs.
   * Entities whose content is unchanged are left as they are.
   */
  applyChanges(
    upserts: ModelEntity[],
    removedRefKeys: string[],
  ): { added: number; changed: number; removed: number } {
    const leaving: IndexedModel[] = [];
    const arriving: IndexedModel[] = [];
    let removed = 0;
    for (const refKey of removedRefKeys) {
      const existing = this.byRef.get(refKey);
      if (existing) {
        this.byRef.delete(refKey);
        this.byUid.delete(existing.uid);
        leaving.push(existing);
        removed += 1;
      }
    }
    let added = 0;
    let changed = 0;
    const now = this.now();
    for (const entity of upserts) {
      const indexed = toIndexed(
        entity.metadata.uid ?? stringifyEntityRef(entity),
        entity,
        now,
      );
      const existing = this.byRef.get(indexed.refKey);
      if (
        existing &&
        existing.uid === indexed.uid &&
        existing.etag === indexed.etag &&
        existing.fingerprint === indexed.fingerprint
      ) {
        continue;
      }
      const sameUid = this.byUid.get(indexed.uid);
      if (sameUid && sameUid !== existing) {
        // the uid moved to another ref: the old ref leaves
        this.byRef.delete(sameUid.refKey);
        leaving.push(sameUid);
      }
      if (existing) {
        // same ref, maybe a new uid (deleted and registered again)
        this.byUid.delete(existing.uid);
        leaving.push(existing);
        changed += 1;
      } else {
        added += 1;
      }
      this.byUid.set(indexed.uid, indexed);
      this.byRef.set(indexed.refKey, indexed);
      arriving.push(indexed);
    }
    if (this.catalogCount !== undefined) {
      this.catalogCount += added - removed;
    }
    if (leaving.length || arriving.length) {
      const size = this.byUid.size;
      this.setLayers(
        this.layers.withChanges(
          leaving,
          arriving,
          Math.max(
            MIN_COMPACT_AT,
            size * compactShare(size, leaving.length + arriving.length),
          ),
        ),
      );
      this.logger.debug(
        `Model index: ${added} added, ${changed} changed, ${removed} removed, ${this.layers.size} in total`,
      );
    }
    return { added, changed, removed };
  }

  /** Packs the models changed since the last compaction into the base. */
  compact() {
    if (this.layers.overlaySize) {
      this.setLayers(this.layers.compacted());
    }
  }

  /** Models held apart from the packed base until the next compaction. */
  get overlaySize(): number {
    return this.layers.overlaySize;
  }

  private setLayers(layers: LayeredIndex) {
    this.layers = layers;
    this.state = { ...layers.searchable, popularity: this.popularity };
    clearTimeout(this.compactTimer);
    this.compactTimer = undefined;
    if (layers.overlaySize) {
      this.compactTimer = setTimeout(() => this.compact(), this.compactAfterMs);
      this.compactTimer.unref?.();
    }
  }

  /**
   * Full text, facet filters, facet counts, sorting and paging over the
   * models `visible` accepts.
   */
  search(
    query: ModelIndexQuery,
    visible?: (model: IndexedModel) => boolean,
  ): ModelIndexResult {
    return searchIndex(this.state, query, visible);
  }
}
