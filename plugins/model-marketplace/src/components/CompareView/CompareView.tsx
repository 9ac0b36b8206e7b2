import { useSearchParams } from 'react-router-dom';
import useAsync from 'react-use/esm/useAsync';
import {
  EmptyState,
  Link,
  Progress,
  ResponseErrorPanel,
} from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import {
  catalogApiRef,
  useEntityRefLink,
} from '@backstage/plugin-catalog-react';
import Paper from '@material-ui/core/Paper';
import TableBody from '@material-ui/core/TableBody';
import TableCell from '@material-ui/core/TableCell';
import { WordSafeTable, WordSafeTableHead } from '../WordSafeTableHead';
import TableRow from '@material-ui/core/TableRow';
import Typography from '@material-ui/core/Typography';
import { makeStyles } from '@material-ui/core/styles';
import {
  bestMetricValue,
  isModelEntity,
  resolveModelMetric,
  type ModelEntityV1alpha1,
  modelAccessPolicy,
} from '@aic/plugin-model-marketplace-common';
import { AccessPolicyChip } from '../AccessPolicyChip';
import { stringifyEntityRef } from '@backstage/catalog-model';
import {
  defaultVersion,
  formatMetric,
  formatReplicas,
  formatResources,
  metricNames,
} from '../../util/models';
import { shortRef } from '../../util/refs';

const useStyles = makeStyles(theme => ({
  paper: { overflowX: 'auto' },
  header: { fontWeight: 600, verticalAlign: 'bottom' },
  label: {
    fontWeight: 500,
    whiteSpace: 'nowrap',
    color: theme.palette.text.secondary,
    width: 180,
  },
  best: { fontWeight: 700, color: theme.palette.success.dark },
  bestLabel: { fontSize: '0.75rem', color: theme.palette.success.dark },
  caption: {
    display: 'block',
    fontWeight: 400,
    fontSize: '0.75rem',
    whiteSpace: 'normal',
  },
  bar: {
    height: 6,
    borderRadius: 3,
    backgroundColor: theme.palette.primary.main,
    marginTop: 4,
  },
}));

type Row = {
  label: string;
  caption?: string;
  render: (model: ModelEntityV1alpha1) => React.ReactNode;
};

/**
 * Two to four models side by side: what they are, their licence and
 * serving needs, and the metrics of their default versions.
 */
export const CompareView = () => {
  const classes = useStyles();
  const catalogApi = useApi(catalogApiRef);
  const entityLink = useEntityRefLink();
  const [searchParams] = useSearchParams();
  const refs = searchParams.getAll('models').slice(0, 4);
  const key = refs.join(',');

  const { value, loading, error } = useAsync(async () => {
    if (refs.length === 0) {
      return [];
    }
    const response = await catalogApi.getEntitiesByRefs({ entityRefs: refs });
    return response.items.filter(isModelEntity);
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [catalogApi, key]);

  if (refs.length < 2) {
    return (
      <EmptyState
        missing="field"
        title="Pick models to compare"
        description="Tick 'Compare' on two to four models in the marketplace, then press Compare."
        action={<Link to="..">Back to the marketplace</Link>}
      />
    );
  }
  if (loading) {
    return <Progress />;
  }
  if (error) {
    return <ResponseErrorPanel error={error} />;
  }
  const models = value ?? [];
  const metrics = metricNames(
    models.flatMap(m => {
      const v = defaultVersion(m.spec.versions);
      return v ? [v] : [];
    }),
  );

  const rows: Row[] = [
    { label: 'Type', render: m => m.spec.type },
    { label: 'Task', render: m => m.spec.task ?? '—' },
    { label: 'Owner', render: m => shortRef(m.spec.owner) },
    { label: 'Lifecycle', render: m => m.spec.lifecycle },
    { label: 'Parameters', render: m => m.spec.parameters ?? '—' },
    { label: 'Framework', render: m => m.spec.framework ?? '—' },
    { label: 'Licence', render: m => m.spec.license ?? '—' },
    {
      label: 'Access',
      render: m => <AccessPolicyChip policy={modelAccessPolicy(m)} />,
    },
    {
      label: 'Languages',
      render: m => m.spec.languages?.join(', ') || '—',
    },
    {
      label: 'Default version',
      render: m => defaultVersion(m.spec.versions)?.version ?? '—',
    },
    { label: 'Runtime', render: m => m.spec.serving?.runtime ?? '—' },
    {
      label: 'Resources per replica',
      render: m => formatResources(m.spec.serving?.resources),
    },
    {
      label: 'Replicas',
      render: m => formatReplicas(m.spec.serving?.replicas),
    },
  ];

  for (const name of metrics) {
    const metric = resolveModelMetric(models, name);
    const values = models.map(
      m => defaultVersion(m.spec.versions)?.metrics?.[name],
    );
    const present = values.filter((v): v is number => v !== undefined);
    const best = bestMetricValue(values, metric.direction);
    const scale = Math.max(...present.map(Math.abs), 0) || 1;
    const hint = metric.direction
      ? `${metric.direction} is better`
      : `not ranked: ${metric.unrankedReason}`;
    rows.push({
      label: `Metric: ${metric.label}`,
      caption: metric.unit ? `${hint} · ${metric.unit}` : hint,
      render: m => {
        const v = defaultVersion(m.spec.versions)?.metrics?.[name];
        if (v === undefined) {
          return '—';
        }
        const isBest = v === best;
        return (
          <div>
            <span className={isBest ? classes.best : undefined}>
              {formatMetric(v, metric.unit)}
            </span>
            {isBest && <span className={classes.bestLabel}> best</span>}
            <div
              className={classes.bar}
              style={{ width: `${(Math.abs(v) / scale) * 100}%` }}
              aria-hidden
            />
          </div>
        );
      },
    });
  }

  const missing = refs.filter(
    ref =>
      !models.some(
        m =>
          stringifyEntityRef(m).toLocaleLowerCase('en-US') ===
          ref.toLocaleLowerCase('en-US'),
      ),
  );

  return (
    <>
      <Typography variant="body2" color="textSecondary" paragraph>
        <Link to="..">Back to the marketplace</Link> · Metrics are those of each
        model's default version. The best value is in bold only where the models
        declare whether higher or lower is better.
      </Typography>
      {missing.length > 0 && (
        <Typography color="error" paragraph>
          Not found in the catalog: {missing.join(', ')}
        </Typography>
      )}
      <Paper variant="outlined" className={classes.paper}>
        <WordSafeTable size="small" aria-label="Model comparison">
          <WordSafeTableHead>
            <TableRow>
              <TableCell className={classes.label} />
              {models.map(m => (
                <TableCell key={m.metadata.name} className={classes.header}>
                  <Link to={entityLink(m)}>
                    {m.metadata.title ?? m.metadata.name}
                  </Link>
                </TableCell>
              ))}
            </TableRow>
          </WordSafeTableHead>
          <TableBody>
            {rows.map(row => (
              <TableRow key={row.label}>
                <TableCell component="th" scope="row" className={classes.label}>
                  {row.label}
                  {row.caption && (
                    <span className={classes.caption}>{row.caption}</span>
                  )}
                </TableCell>
                {models.map(m => (
                  <TableCell key={m.metadata.name}>{row.render(m)}</TableCell>
                ))}
              </TableRow>
            ))}
          </TableBody>
        </WordSafeTable>
      </Paper>
    </>
  );
};
