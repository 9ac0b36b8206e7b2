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

/** Documents matching every term of a text query, and their scores. */
type TextScores = { candidates: number[]; score: Float64Array };

/**
 * What a search reads: documents in name order, the sorted vocabulary, and
 * per token (by its position k in the vocabulary) the documents it occurs
 * in, `postingDocs[offsets[k] .. offsets[k + 1]]` in ascending order, with
 * the best field weight of each in `postingWeights`.
 */
export type SearchableIndex = {
  readonly docs: readonly IndexedModel[];
  readonly vocabulary: readonly string[];
  readonly offsets: Int32Array;
  readonly postingDocs: Int32Array;
  readonly postingWeights: Uint8Array;
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
    const values = doc.facets[field];
    const map = counts[field];
    for (let v = 0; v < values.length; v++) {
      map.set(values[v], (map.get(values[v]) ?? 0) + 1);
    }
  };
  const hasAny = (keys: string[], wanted: Set<string>) => {
    for (let k = 0; k < keys.length; k++) {
      if (wanted.has(keys[k])) {
        return true;
      }
    }
    return false;
  };

  const matches: number[] = [];
  const candidateCount = scores ? scores.candidates.length : ix.docs.length;
  for (let c = 0; c < candidateCount; c++) {
    const i = scores ? scores.candidates[c] : c;
    const doc = ix.docs[i];
    if (visible && !visible(doc)) {
      continue;
    }
    let failed: ModelFacetField | undefined;
    let failures = 0;
    for (let f = 0; f < filters.length; f++) {
      const { field, values } = filters[f];
      if (!hasAny(doc.facetKeys[field], values)) {
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
  scores?: TextScores,
) {
  // docs are kept in name order, so sorting by index is sorting by name
  const byName = (a: number, b: number) => a - b;
  switch (sort) {
    case 'relevance':
      if (scores) {
        const score = scores.score;
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
function scoreText(ix: SearchableIndex, q: string): TextScores {
  const terms = [...new Set(tokenize(q))];
  const n = ix.docs.length;
  const score = new Float64Array(n);
  let candidates: number[] = [];
  terms.forEach((term, t) => {
    const best = new Float64Array(n);
    const touched: number[] = [];
    for (
      let k = lowerBound(ix.vocabulary, term);
      k < ix.vocabulary.length && ix.vocabulary[k].startsWith(term);
      k++
    ) {
      const bonus = ix.vocabulary[k] === term ? 2 : 1;
      const { postingDocs, postingWeights } = ix;
      for (let i = ix.offsets[k]; i < ix.offsets[k + 1]; i++) {
        const doc = postingDocs[i];
        const value = postingWeights[i] * bonus;
        if (best[doc] === 0) {
          touched.push(doc);
        }
        if (best[doc] < value) {
          best[doc] = value;
        }
      }
    }
    if (t === 0) {
      candidates = touched;
    } else {
      candidates = candidates.filter(doc => best[doc] > 0);
    }
    for (const doc of candidates) {
      score[doc] += best[doc];
    }
  });
  return { candidates: terms.length ? candidates : [], score };
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
