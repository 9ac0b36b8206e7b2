import { useTheme } from '@material-ui/core/styles';
import {
  type ModelEvaluation,
  type ModelVersion,
  resolveModelMetric,
} from '@aic/plugin-model-marketplace-common';
import { formatMetric, metricNames } from '../../util/models';

const GROUP_GAP = 28;
const BAR_WIDTH = 22;
const BAR_GAP = 4;
const CHART_HEIGHT = 160;
const LABEL_SPACE = 44;
const TOP_SPACE = 18;

/**
 * A grouped bar chart: one group per metric, one bar per version. Each
 * metric has its own scale (its largest value fills the height), since
 * metrics are measured in different units.
 */
export const VersionMetricsChart = (props: {
  versions: ModelVersion[];
  evaluation?: ModelEvaluation;
}) => {
  const theme = useTheme();
  const versions = props.versions.filter(
    v => Object.keys(v.metrics ?? {}).length > 0,
  );
  const metrics = metricNames(versions);
  if (metrics.length === 0) {
    return null;
  }
  const palette = [
    theme.palette.primary.main,
    theme.palette.secondary.main,
    theme.palette.success.main,
    theme.palette.warning.main,
    theme.palette.info.main,
    theme.palette.error.main,
  ];
  const groupWidth =
    versions.length * BAR_WIDTH + (versions.length - 1) * BAR_GAP;
  const width = metrics.length * (groupWidth + GROUP_GAP) + GROUP_GAP;
  const height = TOP_SPACE + CHART_HEIGHT + LABEL_SPACE;
  const baseline = TOP_SPACE + CHART_HEIGHT;

  return (
    <figure style={{ margin: 0 }}>
      <svg
        role="img"
        aria-label={`Metrics of ${versions.length} versions`}
        viewBox={`0 0 ${width} ${height}`}
        width="100%"
        style={{
          maxWidth: Math.max(width, 320),
          maxHeight: 260,
          display: 'block',
        }}
        preserveAspectRatio="xMinYMin meet"
      >
        <line
          x1={0}
          x2={width}
          y1={baseline}
          y2={baseline}
          stroke={theme.palette.divider}
        />
        {metrics.map((metric, m) => {
          const info = resolveModelMetric(
            [{ spec: { evaluation: props.evaluation } }],
            metric,
          );
          let arrow = '';
          if (info.direction === 'higher') {
            arrow = ' ↑';
          } else if (info.direction === 'lower') {
            arrow = ' ↓';
          }
          const values = versions.map(v => v.metrics?.[metric]);
          const max = Math.max(...values.map(v => Math.abs(v ?? 0)), 0) || 1;
          const x0 = GROUP_GAP + m * (groupWidth + GROUP_GAP);
          return (
            <g key={metric}>
              {values.map((value, i) => {
                if (value === undefined) {
                  return null;
                }
                const h = (Math.abs(value) / max) * CHART_HEIGHT;
                const x = x0 + i * (BAR_WIDTH + BAR_GAP);
                return (
                  <g key={versions[i].version}>
                    <rect
                      x={x}
                      y={baseline - h}
                      width={BAR_WIDTH}
                      height={h}
                      rx={2}
                      fill={palette[i % palette.length]}
                    >
                      <title>
                        {`${versions[i].version} ${info.label}: ${formatMetric(
                          value,
                          info.unit,
                        )}${
                          info.direction ? ` (${info.direction} is better)` : ''
                        }`}
                      </title>
                    </rect>
                    <text
                      x={x + BAR_WIDTH / 2}
                      y={baseline - h - 4}
                      textAnchor="middle"
                      fontSize={9}
                      fill={theme.palette.text.secondary}
                    >
                      {formatMetric(value, info.unit).replace(/^0\./, '.')}
                    </text>
                  </g>
                );
              })}
              <text
                x={x0 + groupWidth / 2}
                y={baseline + 18}
                textAnchor="middle"
                fontSize={12}
                fill={theme.palette.text.primary}
              >
                {info.label}
                {arrow}
              </text>
            </g>
          );
        })}
      </svg>
      <figcaption
        style={{
          display: 'flex',
          flexWrap: 'wrap',
          gap: 16,
          fontSize: 12,
          color: theme.palette.text.secondary,
        }}
      >
        {versions.map((v, i) => (
          <span
            key={v.version}
            style={{ display: 'inline-flex', alignItems: 'center' }}
          >
            <span
              style={{
                display: 'inline-block',
                width: 12,
                height: 12,
                borderRadius: 2,
                marginRight: 6,
                backgroundColor: palette[i % palette.length],
              }}
            />
            {v.version}
          </span>
        ))}
        <span>
          Each metric is drawn on its own scale; ↑ higher is better, ↓ lower is
          better.
        </span>
      </figcaption>
    </figure>
  );
};
