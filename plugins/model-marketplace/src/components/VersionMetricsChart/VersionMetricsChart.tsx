import { useTheme } from '@material-ui/core/styles';
import {
  type ModelEvaluation,
  type ModelVersion,
  resolveModelMetric,
} from '@aic/plugin-model-marketplace-common';
import { formatMetric, metricNames } from '../../util/models';
import { chartLayout } from './chartLayout';

const CHART_HEIGHT = 160;
const TOP_SPACE = 18;
const VALUE_FONT = 9;
const LABEL_FONT = 12;
const LABEL_LINE = 14;

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
  const labels = metrics.map(metric => {
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
    return { metric, info, text: `${info.label}${arrow}` };
  });
  const valueText = (value: number, unit?: string) =>
    formatMetric(value, unit).replace(/^0\./, '.');
  const layout = chartLayout({
    bars: versions.length,
    labels: labels.map(l => l.text),
    values: labels.flatMap(l =>
      versions.flatMap(v => {
        const value = v.metrics?.[l.metric];
        return value === undefined ? [] : [valueText(value, l.info.unit)];
      }),
    ),
    valueFont: VALUE_FONT,
    labelFont: LABEL_FONT,
  });
  const { width } = layout;
  const labelSpace = 12 + layout.labelLines * LABEL_LINE;
  const height = TOP_SPACE + CHART_HEIGHT + labelSpace;
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
        {labels.map(({ metric, info }, m) => {
          const values = versions.map(v => v.metrics?.[metric]);
          const max = Math.max(...values.map(v => Math.abs(v ?? 0)), 0) || 1;
          const group = layout.groups[m];
          return (
            <g key={metric}>
              {values.map((value, i) => {
                if (value === undefined) {
                  return null;
                }
                const h = (Math.abs(value) / max) * CHART_HEIGHT;
                const center = group.bars[i];
                return (
                  <g key={versions[i].version}>
                    <rect
                      x={center - layout.barWidth / 2}
                      y={baseline - h}
                      width={layout.barWidth}
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
                      x={center}
                      y={baseline - h - 4}
                      textAnchor="middle"
                      fontSize={VALUE_FONT}
                      fill={theme.palette.text.secondary}
                    >
                      {valueText(value, info.unit)}
                    </text>
                  </g>
                );
              })}
              <text
                x={group.center}
                y={baseline + 18}
                textAnchor="middle"
                fontSize={LABEL_FONT}
                fill={theme.palette.text.primary}
                data-testid={`metric-label-${metric}`}
              >
                {group.labelLines.map((line, l) => (
                  <tspan key={l} x={group.center} dy={l === 0 ? 0 : LABEL_LINE}>
                    {line}
                  </tspan>
                ))}
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
