import { useEffect, useState } from 'react';
import useAsync from 'react-use/esm/useAsync';
import useAsyncFn from 'react-use/esm/useAsyncFn';
import { useNavigate, useSearchParams } from 'react-router-dom';
import {
  EmptyState,
  Progress,
  ResponseErrorPanel,
} from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import Button from '@material-ui/core/Button';
import Chip from '@material-ui/core/Chip';
import Grid from '@material-ui/core/Grid';
import InputAdornment from '@material-ui/core/InputAdornment';
import MenuItem from '@material-ui/core/MenuItem';
import Paper from '@material-ui/core/Paper';
import TextField from '@material-ui/core/TextField';
import Typography from '@material-ui/core/Typography';
import { makeStyles } from '@material-ui/core/styles';
import SearchIcon from '@material-ui/icons/Search';
import CompareArrowsIcon from '@material-ui/icons/CompareArrows';
import type {
  ListModelsResponse,
  ModelSortOrder,
  ModelSummary,
} from '@aic/plugin-model-marketplace-common';
import { modelMarketplaceApiRef } from '../../api';
import { useModelQuery } from '../../hooks/useModelQuery';
import {
  emptyFilters,
  hasActiveFilters,
  toListModelsRequest,
} from '../../hooks/modelQuery';
import { FacetFilters, FACET_LABELS } from '../FacetFilters';
import { ModelCardGrid } from '../ModelCardGrid';
import { PAGE_SIZE, takePreloadedPage } from '../../hooks/firstPagePreload';

export { PAGE_SIZE };
/** How many models the compare view takes. */
export const MAX_COMPARE = 4;

const SORT_LABELS: Record<ModelSortOrder, string> = {
  relevance: 'Relevance',
  name: 'Name',
  updated: 'Recently updated',
  popular: 'Most requested',
};

const useStyles = makeStyles(theme => ({
  toolbar: {
    display: 'flex',
    flexWrap: 'wrap',
    alignItems: 'center',
    gap: theme.spacing(2),
    marginBottom: theme.spacing(2),
  },
  search: { flex: '1 1 320px' },
  sort: { width: 200 },
  summary: {
    display: 'flex',
    flexWrap: 'wrap',
    alignItems: 'center',
    gap: theme.spacing(1),
    minHeight: 36,
    marginBottom: theme.spacing(1),
  },
  compareBar: {
    position: 'sticky',
    bottom: theme.spacing(2),
    zIndex: 2,
    display: 'flex',
    flexWrap: 'wrap',
    alignItems: 'center',
    gap: theme.spacing(1),
    padding: theme.spacing(1, 2),
    marginTop: theme.spacing(2),
  },
  filters: { padding: theme.spacing(2) },
  more: {
    display: 'flex',
    justifyContent: 'center',
    marginTop: theme.spacing(3),
  },
}));

type Results = {
  items: ModelSummary[];
  totalItems: number;
  facets?: ListModelsResponse['facets'];
  nextCursor?: string;
};

/** The first page followed by the pages loaded after it. */
function joinPages(first: Results, rest: Results[]): Results {
  return rest.reduce(
    (joined, page) => ({
      ...page,
      facets: page.facets ?? joined.facets,
      items: [...joined.items, ...page.items],
    }),
    first,
  );
}

/**
 * The marketplace: search, facet filters with counts, sorting and a card
 * grid paged with the backend's cursor. The view lives in the URL.
 */
export const ModelBrowser = () => {
  const classes = useStyles();
  const api = useApi(modelMarketplaceApiRef);
  const navigate = useNavigate();
  const [query, setQuery] = useModelQuery();
  const [searchParams, setSearchParams] = useSearchParams();
  const selected = searchParams.getAll('select');

  const [text, setText] = useState(query.q);
  const requestKey = JSON.stringify(toListModelsRequest(query));

  // The URL is the source of truth for the search text too: follow it
  // when it changes from outside (back button, a pasted link).
  useEffect(() => {
    setText(query.q);
  }, [query.q]);

  // Debounce typing into the URL.
  useEffect(() => {
    if (text === query.q) {
      return undefined;
    }
    const timer = setTimeout(
      () => setQuery({ ...query, q: text }, { replace: true }),
      300,
    );
    return () => clearTimeout(timer);
  }, [text, query, setQuery]);

  // The first page of the current query; a newer query supersedes it.
  // A first visit's page was requested while this code loaded (alpha.tsx).
  const firstPage = useAsync(() => {
    const request = { ...JSON.parse(requestKey), limit: PAGE_SIZE };
    return takePreloadedPage(request) ?? api.listModels(request);
  }, [api, requestKey]);
  // Pages added with "Load more", for the query they were loaded for.
  const [more, setMore] = useState<{ key: string; pages: Results[] }>({
    key: requestKey,
    pages: [],
  });
  const morePages = more.key === requestKey ? more.pages : [];
  const results = firstPage.value && joinPages(firstPage.value, morePages);
  // A failure to load more belongs to the query it was for.
  const [moreState, loadMore] = useAsyncFn(async () => {
    const cursor = results?.nextCursor;
    if (!cursor) {
      return { key: requestKey, error: undefined };
    }
    try {
      const page = await api.listModels({
        ...JSON.parse(requestKey),
        limit: PAGE_SIZE,
        cursor,
      });
      setMore(prev => ({
        key: requestKey,
        pages: prev.key === requestKey ? [...prev.pages, page] : [page],
      }));
      return { key: requestKey, error: undefined };
    } catch (e) {
      return { key: requestKey, error: e as Error };
    }
  }, [api, requestKey, results?.nextCursor]);
  const loading = firstPage.loading;
  const loadingMore = moreState.loading;
  const error =
    firstPage.error ??
    (moreState.value?.key === requestKey ? moreState.value.error : undefined);

  const setSelected = (refs: string[]) => {
    setSearchParams(
      current => {
        const next = new URLSearchParams(current);
        next.delete('select');
        refs.forEach(ref => next.append('select', ref));
        return next;
      },
      { replace: true },
    );
  };

  const clearFilters = () =>
    setQuery({
      q: '',
      sort: query.sort,
      filters: emptyFilters(),
    });

  const activeChips = Object.entries(query.filters).flatMap(([field, values]) =>
    values.map(value => ({
      field: field as keyof typeof query.filters,
      value,
    })),
  );

  const sortValue = query.sort ?? (query.q ? 'relevance' : 'name');

  return (
    <Grid container spacing={3}>
      <Grid item xs={12} md={3} xl={2}>
        <Paper variant="outlined" className={classes.filters}>
          <FacetFilters
            facets={results?.facets}
            selected={query.filters}
            onChange={(field, values) =>
              setQuery({
                ...query,
                filters: { ...query.filters, [field]: values },
              })
            }
          />
          {!results && loading && <Progress />}
        </Paper>
      </Grid>
      <Grid item xs={12} md={9} xl={10}>
        <div className={classes.toolbar}>
          <TextField
            className={classes.search}
            variant="outlined"
            size="small"
            placeholder="Search models by name, task, tag or owner"
            value={text}
            onChange={e => setText(e.target.value)}
            onKeyDown={e => {
              if (e.key === 'Enter') {
                setQuery({ ...query, q: text });
              }
            }}
            inputProps={{ 'aria-label': 'Search models' }}
            InputProps={{
              startAdornment: (
                <InputAdornment position="start">
                  <SearchIcon />
                </InputAdornment>
              ),
            }}
          />
          <TextField
            select
            className={classes.sort}
            variant="outlined"
            size="small"
            label="Sort by"
            value={sortValue}
            onChange={e =>
              setQuery({ ...query, sort: e.target.value as ModelSortOrder })
            }
            SelectProps={{
              SelectDisplayProps: { 'aria-label': 'Sort by' },
            }}
          >
            {(Object.keys(SORT_LABELS) as ModelSortOrder[]).map(sort => (
              <MenuItem key={sort} value={sort}>
                {SORT_LABELS[sort]}
              </MenuItem>
            ))}
          </TextField>
        </div>
        <div className={classes.summary}>
          <Typography variant="body2" color="textSecondary" role="status">
            {results
              ? `${results.totalItems} ${
                  results.totalItems === 1 ? 'model' : 'models'
                }`
              : ' '}
          </Typography>
          {activeChips.map(({ field, value }) => (
            <Chip
              key={`${field}:${value}`}
              size="small"
              label={`${FACET_LABELS[field]}: ${value}`}
              onDelete={() =>
                setQuery({
                  ...query,
                  filters: {
                    ...query.filters,
                    [field]: query.filters[field].filter(v => v !== value),
                  },
                })
              }
              style={{ marginBottom: 0 }}
            />
          ))}
          {hasActiveFilters(query) && (
            <Button size="small" onClick={clearFilters}>
              Clear all
            </Button>
          )}
        </div>
        {error && <ResponseErrorPanel error={error} />}
        {!error && loading && !results && <Progress />}
        {!error && results && results.items.length === 0 && (
          <EmptyState
            missing="data"
            title="No models match"
            description={
              hasActiveFilters(query)
                ? 'Try fewer filters or other search words.'
                : 'No models are registered in the catalog yet. Add a catalog-info.yaml with kind: Model.'
            }
            action={
              hasActiveFilters(query) ? (
                <Button variant="outlined" onClick={clearFilters}>
                  Clear filters
                </Button>
              ) : undefined
            }
          />
        )}
        {!error && results && results.items.length > 0 && (
          <>
            <ModelCardGrid
              items={results.items}
              loading={loading}
              selected={selected}
              maxSelected={MAX_COMPARE}
              onSelectedChange={setSelected}
            />
            {results.nextCursor && (
              <div className={classes.more}>
                <Button
                  variant="outlined"
                  onClick={loadMore}
                  disabled={loadingMore}
                >
                  {loadingMore
                    ? 'Loading…'
                    : `Load more (${results.items.length} of ${results.totalItems})`}
                </Button>
              </div>
            )}
          </>
        )}
        {selected.length > 0 && (
          <Paper elevation={4} className={classes.compareBar}>
            <CompareArrowsIcon color="action" />
            <Typography variant="body2" style={{ flexGrow: 1 }}>
              {selected.length} of {MAX_COMPARE} selected
              {selected.length < 2 ? ' — pick at least 2 to compare' : ''}
            </Typography>
            <Button size="small" onClick={() => setSelected([])}>
              Clear
            </Button>
            <Button
              size="small"
              variant="contained"
              color="primary"
              disabled={selected.length < 2}
              onClick={() =>
                navigate(
                  `compare?${selected
                    .map(ref => `models=${encodeURIComponent(ref)}`)
                    .join('&')}`,
                )
              }
            >
              Compare
            </Button>
          </Paper>
        )}
      </Grid>
    </Grid>
  );
};
