import {
  MODEL_FACET_FIELDS,
  MODEL_SORT_ORDERS,
  type ListModelsRequest,
  type ModelFacetField,
  type ModelSortOrder,
} from '@aic/plugin-model-marketplace-common';

/** What the marketplace shows: the search text, facet choices and sort order. */
export type ModelQuery = {
  q: string;
  sort?: ModelSortOrder;
  filters: Record<ModelFacetField, string[]>;
};

/** Reads a view from URL search parameters (`?q=..&type=llm&type=vision&sort=name`). */
export function parseModelQuery(params: URLSearchParams): ModelQuery {
  const filters = {} as Record<ModelFacetField, string[]>;
  for (const field of MODEL_FACET_FIELDS) {
    filters[field] = params.getAll(field).filter(Boolean);
  }
  const sort = params.get('sort') ?? undefined;
  return {
    q: params.get('q') ?? '',
    sort: MODEL_SORT_ORDERS.includes(sort as ModelSortOrder)
      ? (sort as ModelSortOrder)
      : undefined,
    filters,
  };
}

/**
 * Writes a view into URL search parameters, keeping parameters that are not
 * part of the query (for example the compare selection).
 */
export function writeModelQuery(
  query: ModelQuery,
  base: URLSearchParams = new URLSearchParams(),
): URLSearchParams {
  const params = new URLSearchParams(base);
  params.delete('q');
  params.delete('sort');
  if (query.q) {
    params.set('q', query.q);
  }
  if (query.sort) {
    params.set('sort', query.sort);
  }
  for (const field of MODEL_FACET_FIELDS) {
    params.delete(field);
    for (const value of query.filters[field] ?? []) {
      params.append(field, value);
    }
  }
  return params;
}

/** Turns a view into the request of `GET /models`. */
export function toListModelsRequest(
  query: ModelQuery,
  extra: Pick<ListModelsRequest, 'cursor' | 'limit'> = {},
): ListModelsRequest {
  const request: ListModelsRequest = { ...extra };
  if (query.q.trim()) {
    request.q = query.q.trim();
  }
  if (query.sort) {
    request.sort = query.sort;
  }
  for (const field of MODEL_FACET_FIELDS) {
    if (query.filters[field]?.length) {
      request[field] = [...query.filters[field]];
    }
  }
  return request;
}

/** Whether any search text or facet value is chosen. */
export function hasActiveFilters(query: ModelQuery): boolean {
  return (
    !!query.q ||
    MODEL_FACET_FIELDS.some(field => query.filters[field]?.length > 0)
  );
}

/** No facet value chosen. */
export function emptyFilters(): Record<ModelFacetField, string[]> {
  const filters = {} as Record<ModelFacetField, string[]>;
  for (const field of MODEL_FACET_FIELDS) {
    filters[field] = [];
  }
  return filters;
}
