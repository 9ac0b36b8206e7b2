import { AuthService, LoggerService } from '@backstage/backend-plugin-api';
import { stringifyEntityRef } from '@backstage/catalog-model';
import type { CatalogService } from '@backstage/plugin-catalog-node';
import {
  isModelEntity,
  MODEL_FACET_FIELDS,
  ModelFacetField,
  ModelFacetValue,
  ModelSortOrder,
  ModelSummary,
} from '@aic/plugin-model-marketplace-common';
import { type IndexedModel, toIndexed } from './indexedModel';
import { TextIndex } from './TextIndex';

export type { IndexedModel } from './indexedModel';

/** A parsed `GET /models` query. */
export type ModelIndexQuery = {
  q?: string;
  filters: Partial<Record<ModelFacetField, string[]>>;
  sort: ModelSortOrder;
  offset: number;
  limit: number;
};

/** What {@link ModelIndex.search} returns. */
export type ModelIndexResult = {
  items: ModelSummary[];
  totalItems: number;
  facets: Record<ModelFacetField, ModelFacetValue[]>;
};

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
  private readonly catalog: CatalogService;
  private readonly auth: AuthService;
  private readonly logger: LoggerService;
  private readonly pageSize: number;
  private readonly now: () => number;

  private byUid = new Map<string, IndexedModel>();
  private docs: IndexedModel[] = [];
  private byRef = new Map<string, IndexedModel>();
  private text = TextIndex.build([]);
  private popularity = new Map<string, number>();
  private firstRefresh: Promise<void> | undefined;
  private resolveFirstRefresh: (() => void) | undefined;

  constructor(options: {
    catalog: CatalogService;
    auth: AuthService;
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
    return this.docs.length;
  }

  get(ref: string): IndexedModel | undefined {
    return this.byRef.get(ref.toLocaleLowerCase('en-US'));
  }

  all(): readonly IndexedModel[] {
    return this.docs;
  }

  /** Replaces the request counts used by the `popular` sort. */
  setPopularity(counts: Map<string, number>) {
    this.popularity = new Map(
      [...counts].map(([ref, n]) => [ref.toLocaleLowerCase('en-US'), n]),
    );
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
    const removedUids = [...this.byUid.keys()].filter(uid => !listed.has(uid));
    if (!toFetch.length && !removedUids.length) {
      return { added: 0, changed: 0, removed: 0 };
    }

    const next = new Map(this.byUid);
    for (const uid of removedUids) {
      next.delete(uid);
    }
    let added = 0;
    let changed = 0;
    const now = this.now();
    for (let i = 0; i < toFetch.length; i += 500) {
      const chunk = toFetch.slice(i, i + 500);
      const { items } = await this.catalog.getEntitiesByRefs(
        { entityRefs: chunk.map(c => c.ref) },
        { credentials },
      );
      for (let j = 0; j < chunk.length; j++) {
        const c = chunk[j];
        const entity = items[j];
        const existing = next.get(c.uid);
        if (!entity || !isModelEntity(entity)) {
          next.delete(c.uid);
          continue;
        }
        if (
          existing &&
          !c.etag &&
          JSON.stringify(existing.entity) === JSON.stringify(entity)
        ) {
          continue;
        }
        if (existing) {
          changed += 1;
        } else {
          added += 1;
        }
        next.set(c.uid, toIndexed(c.uid, entity, now));
      }
    }
    if (added || changed || removedUids.length) {
      this.rebuild(next);
      this.logger.debug(
        `Model index: ${added} added, ${changed} changed, ${removedUids.length} removed, ${this.docs.length} in total`,
      );
    }
    return { added, changed, removed: removedUids.length };
  }

  private rebuild(byUid: Map<string, IndexedModel>) {
    const docs = [...byUid.values()].sort((a, b) =>
      a.sortName === b.sortName
        ? a.ref.localeCompare(b.ref)
        : a.sortName.localeCompare(b.sortName),
    );
    this.byUid = byUid;
    this.docs = docs;
    this.byRef = new Map(docs.map(d => [d.refKey, d]));
    this.text = TextIndex.build(docs);
  }

  /**
   * Full text, facet filters, facet counts, sorting and paging over the
   * models `visible` accepts.
   */
  search(
    query: ModelIndexQuery,
    visible?: (model: IndexedModel) => boolean,
  ): ModelIndexResult {
    const scores = query.q ? this.text.score(query.q) : undefined;
    const filters = MODEL_FACET_FIELDS.filter(
      f => query.filters[f]?.length,
    ).map(f => ({
      field: f,
      values: new Set(query.filters[f]!.map(v => v.toLocaleLowerCase('en-US'))),
    }));
    const counts = Object.fromEntries(
      MODEL_FACET_FIELDS.map(f => [f, new Map<string, number>()]),
    ) as Record<ModelFacetField, Map<string, number>>;
    const bump = (field: ModelFacetField, doc: IndexedModel) => {
      for (const value of doc.facets[field]) {
        const map = counts[field];
        map.set(value, (map.get(value) ?? 0) + 1);
      }
    };

    const matches: number[] = [];
    const candidates: Iterable<number> = scores
      ? scores.keys()
      : this.docs.keys();
    for (const i of candidates) {
      const doc = this.docs[i];
      if (visible && !visible(doc)) {
        continue;
      }
      let failed: ModelFacetField | undefined;
      let failures = 0;
      for (const { field, values } of filters) {
        if (!doc.facetKeys[field].some(v => values.has(v))) {
          failures += 1;
          failed = field;
          if (failures > 1) {
            break;
          }
        }
      }
      if (failures === 0) {
        matches.push(i);
        for (const field of MODEL_FACET_FIELDS) {
          bump(field, doc);
        }
      } else if (failures === 1) {
        bump(failed!, doc);
      }
    }

    this.sortMatches(matches, query.sort, scores);
    const page = matches.slice(query.offset, query.offset + query.limit);

    const facets = Object.fromEntries(
      MODEL_FACET_FIELDS.map(field => {
        const map = counts[field];
        for (const selected of query.filters[field] ?? []) {
          if (
            ![...map.keys()].some(
              k =>
                k.toLocaleLowerCase('en-US') ===
                selected.toLocaleLowerCase('en-US'),
            )
          ) {
            map.set(selected, 0);
          }
        }
        const values = [...map]
          .map(([value, count]) => ({ value, count }))
          .sort((a, b) => b.count - a.count || a.value.localeCompare(b.value));
        return [field, values];
      }),
    ) as Record<ModelFacetField, ModelFacetValue[]>;

    return {
      items: page.map(i => this.docs[i].summary),
      totalItems: matches.length,
      facets,
    };
  }

  private sortMatches(
    matches: number[],
    sort: ModelSortOrder,
    scores?: Map<number, number>,
  ) {
    // docs are kept in name order, so sorting by index is sorting by name
    const byName = (a: number, b: number) => a - b;
    switch (sort) {
      case 'relevance':
        if (scores) {
          const score = new Float64Array(this.docs.length);
          for (const [doc, value] of scores) {
            score[doc] = value;
          }
          matches.sort((a, b) => score[b] - score[a] || a - b);
        } else {
          matches.sort(byName);
        }
        break;
      case 'updated':
        matches.sort(
          (a, b) => this.docs[b].updatedAt - this.docs[a].updatedAt || a - b,
        );
        break;
      case 'popular': {
        const pop = new Float64Array(this.docs.length);
        for (const i of matches) {
          pop[i] = this.popularity.get(this.docs[i].refKey) ?? 0;
        }
        matches.sort((a, b) => pop[b] - pop[a] || a - b);
        break;
      }
      default:
        matches.sort(byName);
    }
  }
}
