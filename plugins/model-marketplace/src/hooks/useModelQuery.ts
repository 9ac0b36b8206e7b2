import { useCallback, useMemo } from 'react';
import { useSearchParams } from 'react-router-dom';
import { ModelQuery, parseModelQuery, writeModelQuery } from './modelQuery';

/**
 * The marketplace view held in the URL, so that a link reproduces it.
 * Returns the parsed view and a setter that replaces the history entry for
 * typing and pushes one for other changes.
 */
export function useModelQuery(): [
  ModelQuery,
  (next: ModelQuery, options?: { replace?: boolean }) => void,
] {
  const [searchParams, setSearchParams] = useSearchParams();
  const query = useMemo(() => parseModelQuery(searchParams), [searchParams]);
  const setQuery = useCallback(
    (next: ModelQuery, options?: { replace?: boolean }) => {
      setSearchParams(current => writeModelQuery(next, current), {
        replace: options?.replace,
      });
    },
    [setSearchParams],
  );
  return [query, setQuery];
}
