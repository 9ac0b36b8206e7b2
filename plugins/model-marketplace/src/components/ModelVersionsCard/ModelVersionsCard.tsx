import { InfoCard } from '@backstage/core-components';
import Chip from '@material-ui/core/Chip';
import TableBody from '@material-ui/core/TableBody';
import TableCell from '@material-ui/core/TableCell';
import { WordSafeTable, WordSafeTableHead } from '../WordSafeTableHead';
import TableRow from '@material-ui/core/TableRow';
import Typography from '@material-ui/core/Typography';
import {
  bestMetricValue,
  type ModelEvaluation,
  type ModelVersion,
  resolveModelMetric,
} from '@aic/plugin-model-marketplace-common';
import { formatMetric, metricNames } from '../../util/models';
import { VersionMetricsChart } from '../VersionMetricsChart';

/** The versions of a model with their metrics, and a chart comparing them. */
export const ModelVersionsCard = (props: {
  versions: ModelVersion[];
  evaluation?: ModelEvaluation;
}) => {
  const { versions, evaluation } = props;
  const metrics = metricNames(versions).map(name => {
    const metric = resolveModelMetric([{ spec: { evaluation } }], name);
    return {
      ...metric,
      best: bestMetricValue(
        versions.map(v => v.metrics?.[name]),
        metric.direction,
      ),
    };
  });
  return (
    <InfoCard title="Versions" variant="gridItem">
      <div style={{ overflowX: 'auto' }}>
        <WordSafeTable size="small" aria-label="Versions">
          <WordSafeTableHead>
            <TableRow>
              <TableCell>Version</TableCell>
              <TableCell>Format</TableCell>
              <TableCell>Created</TableCell>
              <TableCell>Artifact</TableCell>
              {metrics.map(m => (
                <TableCell
                  key={m.name}
                  align="right"
                  title={
                    m.direction
                      ? `${m.direction} is better`
                      : 'no direction declared'
                  }
                >
                  {m.label}
                  {m.unit ? ` (${m.unit})` : ''}
                  {m.direction === 'higher' && ' ↑'}
                  {m.direction === 'lower' && ' ↓'}
                </TableCell>
              ))}
            </TableRow>
          </WordSafeTableHead>
          <TableBody>
            {versions.map(v => (
              <TableRow key={v.version}>
                <TableCell style={{ whiteSpace: 'nowrap' }}>
                  {v.version}{' '}
                  {v.default && (
                    <Chip
                      size="small"
                      label="default"
                      color="primary"
                      style={{ marginBottom: 0 }}
                    />
                  )}
                </TableCell>
                <TableCell style={{ whiteSpace: 'nowrap' }}>
                  {v.format ?? '—'}
                </TableCell>
                <TableCell style={{ whiteSpace: 'nowrap' }}>
                  {v.created ?? '—'}
                </TableCell>
                <TableCell>
                  <Typography
                    variant="body2"
                    style={{
                      fontFamily: 'monospace',
                      fontSize: '0.8rem',
                      overflowWrap: 'anywhere',
                    }}
                  >
                    {v.artifact}
                  </Typography>
                </TableCell>
                {metrics.map(m => {
                  const value = v.metrics?.[m.name];
                  const best = value !== undefined && value === m.best;
                  return (
                    <TableCell
                      key={m.name}
                      align="right"
                      style={best ? { fontWeight: 700 } : undefined}
                      aria-label={
                        best
                          ? `${formatMetric(value, m.unit)}, best`
                          : undefined
                      }
                    >
                      {formatMetric(value, m.unit)}
                    </TableCell>
                  );
                })}
              </TableRow>
            ))}
          </TableBody>
        </WordSafeTable>
      </div>
      {metrics.length > 0 && versions.length > 0 && (
        <div style={{ marginTop: 24 }}>
          <Typography variant="subtitle2" gutterBottom>
            Metrics by version
          </Typography>
          <VersionMetricsChart versions={versions} evaluation={evaluation} />
        </div>
      )}
    </InfoCard>
  );
};
