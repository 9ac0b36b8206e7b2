import {
  MODEL_FACET_FIELDS,
  ModelFacetField,
  ModelFacetValue,
  ModelSortOrder,
  ModelSummary,
} from '@aic/plugin-model-marketplace-common';
import type { FacetColumn, FacetTable } from './FacetTable';
import type { IndexedModel } from './indexedModel';
import type { TextScores, TextSearch } from './TextIndex';

/** A parsed `GET /models` query. */
export type ModelIndexQuery = {
  q?: string;
  filters: Partial<Record<ModelFacetField, string[]>>;
  sort: ModelSortOrder;
  offset: number;
  limit: number;
};

/** What a search returns. */
export type ModelIndexResult = {
  items: ModelSummary[];
  totalItems: number;
  facets: Record<ModelFacetField, ModelFacetValue[]>;
};

/**
 * What a search reads: documents, their full-text index, their facet values
 * as numbers, and the request counts of the `popular` sort. Documents are
 * in name order unless `rank` gives each one's place in it; those `dead`
 * marks with 1 are left out (the full text leaves them out too).
 */
export type SearchableIndex = {
  readonly docs: readonly IndexedModel[];
  readonly dead?: Uint8Array;
  readonly rank?: Int32Array;
  readonly text: TextSearch;
  readonly facets: FacetTable;
  readonly popularity: ReadonlyMap<string, number>;
};

/**
 * Full text, facet filters, facet counts, sorting and paging over the
 * models `visible` accepts. A facet's counts are those of the documents
 * passing every filter but the facet's own (so that a selected value's
 * alternatives keep their counts).
 */
export function searchIndex(
  ix: SearchableIndex,
  query: ModelIndexQuery,
  visible?: (model: IndexedModel) => boolean,
): ModelIndexResult {
  const scores = query.q ? ix.text.score(query.q) : undefined;
  const { columns } = ix.facets;
  const filters = ix.facets.filters(query.filters);
  const fields = MODEL_FACET_FIELDS.map(field => ({
    field,
    column: columns[field],
    counts: new Int32Array(columns[field].values.length),
  }));
  const bump = (column: FacetColumn, counts: Int32Array, doc: number) => {
    for (let i = column.offsets[doc]; i < column.offsets[doc + 1]; i++) {
      counts[column.ids[i]] += 1;
    }
  };
  const accepts = (column: FacetColumn, wanted: Uint8Array, doc: number) => {
    for (let i = column.offsets[doc]; i < column.offsets[doc + 1]; i++) {
      if (wanted[column.ids[i]] === 1) {
        return true;
      }
    }
    return false;
  };

  const matches: number[] = [];
  const candidateCount = scores ? scores.candidates.length : ix.docs.length;
  for (let c = 0; c < candidateCount; c++) {
    const i = scores ? scores.candidates[c] : c;
    if (ix.dead?.[i] === 1 || (visible && !visible(ix.docs[i]))) {
      continue;
    }
    let failed = -1;
    let failures = 0;
    for (let f = 0; f < filters.length; f++) {
      if (!accepts(filters[f].column, filters[f].accepts, i)) {
        failures += 1;
        failed = f;
        if (failures > 1) {
          break;
        }
      }
    }
    if (failures === 0) {
      matches.push(i);
      for (let f = 0; f < fields.length; f++) {
        bump(fields[f].column, fields[f].counts, i);
      }
    } else if (failures === 1) {
      const field = fields[MODEL_FACET_FIELDS.indexOf(filters[failed].field)];
      bump(field.column, field.counts, i);
    }
  }

  const page = firstSorted(
    matches,
    query.offset + query.limit,
    comparator(ix, query.sort, scores),
  ).slice(query.offset);

  const facets = Object.fromEntries(
    fields.map(({ field, column, counts }) => {
      const values: ModelFacetValue[] = [];
      const present = new Set<string>();
      counts.forEach((count, id) => {
        if (count > 0) {
          values.push({ value: column.values[id], count });
          present.add(column.keys[id]);
        }
      });
      for (const selected of query.filters[field] ?? []) {
        if (!present.has(selected.toLocaleLowerCase('en-US'))) {
          values.push({ value: selected, count: 0 });
        }
      }
      values.sort(
        (a, b) => b.count - a.count || a.value.localeCompare(b.value),
      );
      return [field, values];
    }),
  ) as Record<ModelFacetField, ModelFacetValue[]>;

  return {
    items: page.map(i => ix.docs[i].summary),
    totalItems: matches.length,
    facets,
  };
}

/**
 * The first `k` of `items` in `order`: a full sort when that is most of
 * them, else one pass keeping the best `k` in a sorted array (a page of 24
 * out of tens of thousands of matches).
 */
function firstSorted(
  items: number[],
  k: number,
  order: (a: number, b: number) => number,
): number[] {
  if (k * 4 >= items.length) {
    return items.sort(order).slice(0, k);
  }
  const top: number[] = [];
  for (const item of items) {
    if (top.length === k && order(item, top[k - 1]) >= 0) {
      continue;
    }
    let lo = 0;
    let hi = top.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (order(top[mid], item) <= 0) {
        lo = mid + 1;
      } else {
        hi = mid;
      }
    }
    top.splice(lo, 0, item);
    if (top.length > k) {
      top.pop();
    }
  }
  return top;
}

function comparator(
  ix: SearchableIndex,
  sort: ModelSortOrder,
  scores?: TextScores,
): (a: number, b: number) => number {
  // docs are kept in name order, or ranked in it
  const { rank } = ix;
  const byName = rank
    ? (a: number, b: number) => rank[a] - rank[b]
    : (a: number, b: number) => a - b;
  switch (sort) {
    case 'relevance': {
      if (!scores) {
        return byName;
      }
      const score = scores.score;
      return (a, b) => score[b] - score[a] || byName(a, b);
    }
    case 'updated':
      return (a, b) =>
        ix.docs[b].updatedAt - ix.docs[a].updatedAt || byName(a, b);
    case 'popular': {
      const pop = (i: number) => ix.popularity.get(ix.docs[i].refKey) ?? 0;
      return (a, b) => pop(b) - pop(a) || byName(a, b);
    }
    default:
      return byName;
  }
}
