/** Which way a metric is better, and its unit, where the importer knows. */
export type MetricConvention = {
  direction: 'higher' | 'lower';
  unit?: string;
};

/** Known metric names by prefix, in order; the first match wins. */
const CONVENTIONS: Array<[RegExp, MetricConvention]> = [
  // Serving performance (Kubeflow performance-metrics artifacts).
  [/^(ttft|e2e|itl|tpot)(_|$)/, { direction: 'lower', unit: 'ms' }],
  [/latency/, { direction: 'lower', unit: 'ms' }],
  [/^(tps|tokens_per_second)(_|$)/, { direction: 'higher', unit: 'tokens/s' }],
  [/^(requests_per_second|rps)(_|$)/, { direction: 'higher', unit: 'req/s' }],
  [/throughput/, { direction: 'higher' }],
  // Error rates and losses.
  [
    /^(wer|cer|perplexity|loss|mae|mse|rmse|eval_loss)(_|$)/,
    { direction: 'lower' },
  ],
  // Quality scores and common benchmarks.
  [
    /^(accuracy|acc|f1|exact_match|em|bleu|rouge|chrf|pass@|precision|recall|auc|map|mrr|ndcg|mmlu|gsm8k|hellaswag|arc|truthfulqa|winogrande|humaneval|mbpp|ifeval|bbh|gpqa|math|top1|top5|miou|score)/,
    { direction: 'higher' },
  ],
];

/** The unit a Kubeflow accuracy artifact's `score_metric` stands for. */
export function unitOfScoreMetric(scoreMetric: string | undefined) {
  if (!scoreMetric) {
    return undefined;
  }
  return /percent/i.test(scoreMetric) ? '%' : undefined;
}

/**
 * The direction and unit of a metric from its name, when the name is one the
 * importer knows (`ttft_p90` is milliseconds, lower is better; `mmlu` is
 * higher is better), else undefined.
 */
export function metricConvention(name: string): MetricConvention | undefined {
  const key = name.toLowerCase();
  for (const [pattern, convention] of CONVENTIONS) {
    if (pattern.test(key)) {
      return convention;
    }
  }
  return undefined;
}

/**
 * `spec.evaluation` for the metrics whose direction (and unit) the importer
 * knows, or undefined when it knows none.
 */
export function evaluationOf(
  info: Record<string, MetricConvention>,
): { metrics: Array<{ name: string } & MetricConvention> } | undefined {
  const metrics = Object.entries(info).map(([name, convention]) => ({
    name,
    direction: convention.direction,
    ...(convention.unit ? { unit: convention.unit } : {}),
  }));
  return metrics.length ? { metrics } : undefined;
}
