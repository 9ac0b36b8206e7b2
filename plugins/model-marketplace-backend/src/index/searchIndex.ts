import {
  MODEL_FACET_FIELDS,
  ModelFacetField,
  ModelFacetValue,
  ModelSortOrder,
  ModelSummary,
} from '@aic/plugin-model-marketplace-common';
import type { IndexedModel } from './toIndexedModel';
import { tokenize } from './tokenize';

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

/** Token to (document number to best field weight). */
export type Posting = Map<number, number>;

/** What a search reads: documents in name order and their postings. */
export type SearchableIndex = {
  readonly docs: readonly IndexedModel[];
  readonly postings: ReadonlyMap<string, Posting>;
  readonly vocabulary: readonly string[];
  readonly popularity: ReadonlyMap<string, number>;
};

/**
 * Full text, facet filters, facet counts, sorting and paging over the
 * models `visible` accepts.
 */
export function searchIndex(
  ix: SearchableIndex,
  query: ModelIndexQuery,
  visible?: (model: IndexedModel) => boolean,
): ModelIndexResult {
  const scores = query.q ? scoreText(ix, query.q) : undefined;
  const filters = MODEL_FACET_FIELDS.filter(f => query.filters[f]?.length).map(
    f => ({
      field: f,
      values: new Set(query.filters[f]!.map(v => v.toLocaleLowerCase('en-US'))),
    }),
  );
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
  const candidates: Iterable<number> = scores ? scores.keys() : ix.docs.keys();
  for (const i of candidates) {
    const doc = ix.docs[i];
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

  sortMatches(ix, matches, query.sort, scores);
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
    items: page.map(i => ix.docs[i].summary),
    totalItems: matches.length,
    facets,
  };
}

function sortMatches(
  ix: SearchableIndex,
  matches: number[],
  sort: ModelSortOrder,
  scores?: Map<number, number>,
) {
  // docs are kept in name order, so sorting by index is sorting by name
  const byName = (a: number, b: number) => a - b;
  switch (sort) {
    case 'relevance':
      if (scores) {
        const score = new Float64Array(ix.docs.length);
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
        (a, b) => ix.docs[b].updatedAt - ix.docs[a].updatedAt || a - b,
      );
      break;
    case 'popular': {
      const pop = new Float64Array(ix.docs.length);
      for (const i of matches) {
        pop[i] = ix.popularity.get(ix.docs[i].refKey) ?? 0;
      }
      matches.sort((a, b) => pop[b] - pop[a] || a - b);
      break;
    }
    default:
      matches.sort(byName);
  }
}

/**
 * Scores documents for a text query: every term must prefix-match a token
 * of the document; a document's score is the sum, over terms, of the best
 * field weight the term matched in (exact token matches count double).
 */
function scoreText(ix: SearchableIndex, q: string): Map<number, number> {
  const terms = [...new Set(tokenize(q))];
  let result: Map<number, number> | undefined;
  for (const term of terms) {
    const termScores = new Map<number, number>();
    for (
      let k = lowerBound(ix.vocabulary, term);
      k < ix.vocabulary.length && ix.vocabulary[k].startsWith(term);
      k++
    ) {
      const token = ix.vocabulary[k];
      const bonus = token === term ? 2 : 1;
      for (const [doc, weight] of ix.postings.get(token)!) {
        const score = weight * bonus;
        if ((termScores.get(doc) ?? 0) < score) {
          termScores.set(doc, score);
        }
      }
    }
    if (!result) {
      result = termScores;
    } else {
      const next = new Map<number, number>();
      for (const [doc, score] of result) {
        const s = termScores.get(doc);
        if (s !== undefined) {
          next.set(doc, score + s);
        }
      }
      result = next;
    }
    if (result.size === 0) {
      break;
    }
  }
  return result ?? new Map();
}

function lowerBound(sorted: readonly string[], value: string): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (sorted[mid] < value) {
      lo = mid + 1;
    } else {
      hi = mid;
    }
  }
  return lo;
}
