import { useSearchParams } from 'react-router-dom';
import useAsync from 'react-use/esm/useAsync';
import {
  EmptyState,
  Link,
  Progress,
  ResponseErrorPanel,
} from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import { useEntityRefLink } from '@backstage/plugin-catalog-react';
import FormControl from '@material-ui/core/FormControl';
import InputLabel from '@material-ui/core/InputLabel';
import Paper from '@material-ui/core/Paper';
import NativeSelect from '@material-ui/core/NativeSelect';
import TableBody from '@material-ui/core/TableBody';
import TableCell from '@material-ui/core/TableCell';
import { WordSafeTable, WordSafeTableHead } from '../WordSafeTableHead';
import TableRow from '@material-ui/core/TableRow';
import Typography from '@material-ui/core/Typography';
import { makeStyles } from '@material-ui/core/styles';
import type { ModelMetricSummary } from '@aic/plugin-model-marketplace-common';
import { modelMarketplaceApiRef } from '../../api';
import { formatMetric } from '../../util/models';

const useStyles = makeStyles(theme => ({
  picker: { minWidth: 320, marginBottom: theme.spacing(2) },
  best: { fontWeight: 700, color: theme.palette.success.dark },
  bar: {
    height: 6,
    borderRadius: 3,
    backgroundColor: theme.palette.primary.main,
    marginTop: 4,
  },
}));

function directionText(metric: {
  direction?: string;
  unrankedReason?: string;
}): string {
  if (metric.direction === 'lower') {
    return 'Lower is better; best first.';
  }
  if (metric.direction === 'higher') {
    return 'Higher is better; best first.';
  }
  return `Not ranked: ${
    metric.unrankedReason ?? 'no direction is declared'
  }. Sorted by value, highest first.`;
}

function optionLabel(m: ModelMetricSummary): string {
  const unit = m.unit ? ` (${m.unit})` : '';
  let arrow = '';
  if (m.direction === 'higher') {
    arrow = ' ↑';
  } else if (m.direction === 'lower') {
    arrow = ' ↓';
  }
  return `${m.label}${unit}${arrow} · ${m.models} model${
    m.models === 1 ? '' : 's'
  }`;
}

/**
 * One metric across models: the models that report it on their default
 * version, ranked by the metric's declared direction.
 */
export const BenchmarkView = () => {
  const classes = useStyles();
  const api = useApi(modelMarketplaceApiRef);
  const entityLink = useEntityRefLink();
  const [searchParams, setSearchParams] = useSearchParams();

  const metrics = useAsync(() => api.listMetrics(), [api]);
  const chosen =
    searchParams.get('metric') ?? metrics.value?.items[0]?.name ?? undefined;
  const benchmark = useAsync(
    async () => (chosen ? api.getMetricBenchmark(chosen) : undefined),
    [api, chosen],
  );

  if (metrics.loading) {
    return <Progress />;
  }
  if (metrics.error) {
    return <ResponseErrorPanel error={metrics.error} />;
  }
  const items = metrics.value?.items ?? [];
  if (items.length === 0) {
    return (
      <EmptyState
        missing="data"
        title="No model reports a metric yet"
        description="Owners add metrics to spec.versions[].metrics and say what they mean in spec.evaluation."
      />
    );
  }

  const body = benchmark.value;
  const scale =
    Math.max(...(body?.items ?? []).map(i => Math.abs(i.value)), 0) || 1;

  return (
    <>
      <FormControl size="small" className={classes.picker}>
        <InputLabel shrink htmlFor="benchmark-metric">
          Metric
        </InputLabel>
        <NativeSelect
          id="benchmark-metric"
          value={chosen ?? ''}
          onChange={e => {
            const next = new URLSearchParams(searchParams);
            next.set('metric', e.target.value);
            setSearchParams(next);
          }}
        >
          {items.map(m => (
            <option key={m.name} value={m.name}>
              {optionLabel(m)}
            </option>
          ))}
        </NativeSelect>
      </FormControl>
      {benchmark.loading && <Progress />}
      {benchmark.error && <ResponseErrorPanel error={benchmark.error} />}
      {body && !benchmark.loading && (
        <>
          <Typography variant="body2" color="textSecondary" paragraph>
            {body.metric.label}
            {body.metric.unit ? ` in ${body.metric.unit}` : ''}, from each
            model's default version. {directionText(body.metric)}
          </Typography>
          <Paper variant="outlined">
            <WordSafeTable
              size="small"
              aria-label={`Benchmark: ${body.metric.label}`}
            >
              <WordSafeTableHead>
                <TableRow>
                  <TableCell>Rank</TableCell>
                  <TableCell>Model</TableCell>
                  <TableCell>Version</TableCell>
                  <TableCell>Dataset</TableCell>
                  <TableCell align="right">{body.metric.label}</TableCell>
                </TableRow>
              </WordSafeTableHead>
              <TableBody>
                {body.items.map(item => (
                  <TableRow key={item.model.ref}>
                    <TableCell>{item.rank ?? '—'}</TableCell>
                    <TableCell>
                      <Link
                        to={entityLink({
                          kind: 'model',
                          namespace: item.model.namespace,
                          name: item.model.name,
                        })}
                      >
                        {item.model.title ?? item.model.name}
                      </Link>
                    </TableCell>
                    <TableCell>{item.version}</TableCell>
                    <TableCell>{item.dataset ?? '—'}</TableCell>
                    <TableCell align="right" style={{ minWidth: 120 }}>
                      <span
                        className={item.rank === 1 ? classes.best : undefined}
                      >
                        {formatMetric(item.value, body.metric.unit)}
                      </span>
                      <div
                        className={classes.bar}
                        style={{
                          width: `${(Math.abs(item.value) / scale) * 100}%`,
                          marginLeft: 'auto',
                        }}
                        aria-hidden
                      />
                    </TableCell>
                  </TableRow>
                ))}
              </TableBody>
            </WordSafeTable>
          </Paper>
        </>
      )}
    </>
  );
};
