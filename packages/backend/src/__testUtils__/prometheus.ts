/** One sample of the Prometheus text exposition format. */
export type Sample = {
  name: string;
  labels: Record<string, string>;
  value: number;
};

const LINE = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})?\s+(\S+)(?:\s+\d+)?$/;
const LABEL = /([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"\s*,?\s*/g;

/**
 * Reads the samples of a Prometheus text exposition (version 0.0.4);
 * comments (`# HELP`, `# TYPE`) and blank lines are skipped. Throws on a
 * line that is neither.
 */
export function parsePrometheusText(text: string): Sample[] {
  const samples: Sample[] = [];
  for (const line of text.split('\n')) {
    if (!line.trim() || line.startsWith('#')) {
      continue;
    }
    const match = LINE.exec(line);
    if (!match) {
      throw new Error(`Not a Prometheus sample: ${line}`);
    }
    const labels: Record<string, string> = {};
    for (const [, key, raw] of (match[2] ?? '').matchAll(LABEL)) {
      labels[key] = raw.replace(/\\(.)/g, (_, c) => (c === 'n' ? '\n' : c));
    }
    samples.push({ name: match[1], labels, value: Number(match[3]) });
  }
  return samples;
}
