/**
 * Where the metrics chart draws its bars and labels, so that no two labels
 * overlap: each metric's slot is as wide as the wider of its bars and its
 * label, each bar's slot as wide as the widest value printed above a bar,
 * and a metric name longer than {@link MAX_LABEL_CHARS} wraps onto lines at
 * its spaces.
 *
 * Text widths are estimated (SVG text cannot be measured before it is
 * drawn): {@link CHAR_WIDTH} of the font size per character is above the
 * average advance of the sans-serif fonts the theme uses, so estimates err
 * on the wide side.
 */

/** Average character width, as a fraction of the font size (generous). */
export const CHAR_WIDTH = 0.62;
/** Metric names wrap at spaces beyond this many characters per line. */
export const MAX_LABEL_CHARS = 14;
const MIN_BAR_WIDTH = 22;
const BAR_GAP = 4;
const GROUP_GAP = 24;

/** The estimated width of a line of text. */
export function textWidth(text: string, fontSize: number): number {
  return text.length * fontSize * CHAR_WIDTH;
}

/** Splits a label at spaces into lines of at most `max` characters (a longer word keeps a line of its own). */
export function wrapLabel(text: string, max = MAX_LABEL_CHARS): string[] {
  const lines: string[] = [];
  for (const word of text.split(/\s+/).filter(Boolean)) {
    const last = lines[lines.length - 1];
    if (last !== undefined && `${last} ${word}`.length <= max) {
      lines[lines.length - 1] = `${last} ${word}`;
    } else {
      lines.push(word);
    }
  }
  return lines.length ? lines : [''];
}

export type ChartLayout = {
  width: number;
  barWidth: number;
  /** The most lines a metric name takes. */
  labelLines: number;
  groups: Array<{
    /** The x of the metric name's center. */
    center: number;
    /** The x of each bar's center. */
    bars: number[];
    labelLines: string[];
    /** The horizontal extent of the metric name. */
    labelExtent: [number, number];
  }>;
};

export function chartLayout(input: {
  bars: number;
  labels: string[];
  /** Every value text printed above a bar. */
  values: string[];
  valueFont: number;
  labelFont: number;
}): ChartLayout {
  const widestValue = Math.max(
    0,
    ...input.values.map(v => textWidth(v, input.valueFont)),
  );
  const barWidth = Math.max(MIN_BAR_WIDTH, Math.ceil(widestValue));
  const barsWidth = input.bars * barWidth + (input.bars - 1) * BAR_GAP;
  let x = GROUP_GAP;
  let labelLines = 1;
  const groups = input.labels.map(label => {
    const lines = wrapLabel(label);
    labelLines = Math.max(labelLines, lines.length);
    const labelWidth = Math.max(
      ...lines.map(l => textWidth(l, input.labelFont)),
    );
    const slot = Math.max(barsWidth, labelWidth);
    const center = x + slot / 2;
    const firstBar = center - barsWidth / 2 + barWidth / 2;
    const group = {
      center,
      bars: Array.from(
        { length: input.bars },
        (_, i) => firstBar + i * (barWidth + BAR_GAP),
      ),
      labelLines: lines,
      labelExtent: [center - labelWidth / 2, center + labelWidth / 2] as [
        number,
        number,
      ],
    };
    x += slot + GROUP_GAP;
    return group;
  });
  return { width: x, barWidth, labelLines, groups };
}
