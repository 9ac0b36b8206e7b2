import {
  MODEL_FACET_FIELDS,
  ModelFacetField,
  ModelFacetValue,
  ModelSortOrder,
  ModelSummary,
} from '@aic/plugin-model-marketplace-common';
import type { IndexedModel } from './indexedModel';
import type { TextIndex, TextScores } from './TextIndex';

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
 * What a search reads: documents in name order, their full-text index, and
 * the request counts of the `popular` sort.
 */
export type SearchableIndex = {
  readonly docs: readonly IndexedModel[];
  readonly text: TextIndex;
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
  const scores = query.q ? ix.text.score(query.q) : undefined;
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
