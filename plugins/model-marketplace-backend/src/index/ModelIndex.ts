import { AuthService, LoggerService } from '@backstage/backend-plugin-api';
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
import { FacetTable } from './FacetTable';
import { TextIndex } from './TextIndex';

export type { IndexedModel } from './indexedModel';

/** The catalog calls the index makes. */
export type ModelIndexCatalog = Pick<
  CatalogService,
  'queryEntities' | 'getEntitiesByRefs'
>;
export type { ModelIndexQuery, ModelIndexResult } from './searchIndex';

const collator = new Intl.Collator('en-US');

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

  private byUid = new Map<string, IndexedModel>();
  private byRef = new Map<string, IndexedModel>();
  private popularity = new Map<string, number>();
  /** What searches read; replaced as a whole by each rebuild. */
  private state: SearchableIndex = {
    docs: [],
    text: TextIndex.build([]),
    facets: FacetTable.build([]),
    popularity: this.popularity,
  };
  private firstRefresh: Promise<void> | undefined;
  private resolveFirstRefresh: (() => void) | undefined;

  constructor(options: {
    catalog: ModelIndexCatalog;
    auth: Pick<AuthService, 'getOwnServiceCredentials'>;
    logger: LoggerService;
    pageSize?: number;
    now?: () => number;
  }) {
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
    return this.state.docs.length;
  }

  get(ref: string): IndexedModel | undefined {
    return this.byRef.get(ref.toLocaleLowerCase('en-US'));
  }

  all(): readonly IndexedModel[] {
    return this.state.docs;
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
    this.catalogCount = listed.size;

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
    const upserts: ModelEntity[] = [];
    for (let i = 0; i < toFetch.length; i += 500) {
      const chunk = toFetch.slice(i, i + 500);
      const { items } = await this.catalog.getEntitiesByRefs(
        { entityRefs: chunk.map(c => c.ref) },
        { credentials },
      );
      items.forEach((entity, j) => {
        if (entity && isModelEntity(entity)) {
          upserts.push(entity);
        } else {
          removed.push(chunk[j].ref.toLocaleLowerCase('en-US'));
        }
      });
    }
    return this.applyChanges(upserts, removed);
  }

  /**
   * The number of Model entities the catalog listed in the last full
   * refresh, or undefined before the first.
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
    const next = new Map(this.byUid);
    let removed = 0;
    for (const refKey of removedRefKeys) {
      const existing = this.byRef.get(refKey);
      if (existing && next.delete(existing.uid)) {
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
      if (existing) {
        // same ref, maybe a new uid (deleted and registered again)
        next.delete(existing.uid);
        changed += 1;
      } else {
        added += 1;
      }
      next.set(indexed.uid, indexed);
    }
    if (added || changed || removed) {
      this.rebuild(next);
      this.logger.debug(
        `Model index: ${added} added, ${changed} changed, ${removed} removed, ${this.state.docs.length} in total`,
      );
    }
    return { added, changed, removed };
  }

  private rebuild(byUid: Map<string, IndexedModel>) {
    const docs = [...byUid.values()].sort(
      (a, b) =>
        collator.compare(a.sortName, b.sortName) ||
        collator.compare(a.ref, b.ref),
    );
    this.byUid = byUid;
    this.state = {
      docs,
      text: TextIndex.build(docs),
      facets: FacetTable.build(docs),
      popularity: this.popularity,
    };
    this.byRef = new Map(docs.map(d => [d.refKey, d]));
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
