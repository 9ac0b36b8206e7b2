import type {
  ListModelsRequest,
  ListModelsResponse,
} from '@aic/plugin-model-marketplace-common';
import type { ModelMarketplaceApi } from '../api';
import { parseModelQuery, toListModelsRequest } from './modelQuery';

/** Models per page of the marketplace grid. */
export const PAGE_SIZE = 24;

/** How long a preloaded page may wait for the browser to ask for it. */
export const PRELOAD_MAX_AGE_MS = 10_000;

let preloaded:
  | { key: string; at: number; response: Promise<ListModelsResponse> }
  | undefined;

const keyOf = (request: ListModelsRequest) => JSON.stringify(request);

/** The request of the first page of the view in `search` (a URL's query). */
export function firstPageRequest(search: string): ListModelsRequest {
  const request = toListModelsRequest(
    parseModelQuery(new URLSearchParams(search)),
  );
  return { ...request, limit: PAGE_SIZE };
}

/**
 * Starts `GET /models` for the first page of the view in `search` while the
 * page's code loads and renders, so that the request does not wait for the
 * page to mount (the page's loader calls this on a first visit).
 */
export function preloadFirstPage(api: ModelMarketplaceApi, search: string) {
  const request = firstPageRequest(search);
  const response = api.listModels(request);
  // the browser reports a failure when it takes the page; nobody else waits
  response.catch(() => undefined);
  preloaded = { key: keyOf(request), at: Date.now(), response };
}

/**
 * The preloaded response for `request`, once: undefined when none was
 * started for exactly this request, or it is older than
 * {@link PRELOAD_MAX_AGE_MS}.
 */
export function takePreloadedPage(
  request: ListModelsRequest,
): Promise<ListModelsResponse> | undefined {
  const entry = preloaded;
  preloaded = undefined;
  if (
    !entry ||
    entry.key !== keyOf(request) ||
    Date.now() - entry.at > PRELOAD_MAX_AGE_MS
  ) {
    return undefined;
  }
  return entry.response;
}
