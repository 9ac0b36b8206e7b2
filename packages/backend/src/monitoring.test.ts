/*
 * docs/monitoring: the Grafana dashboard and the Prometheus alert rules parse,
 * and every metric they (and the plugin README) name is one the plugins emit.
 * The emitted names are not listed by hand: the plugins' metrics modules run
 * on the real OpenTelemetry SDK and Prometheus exporter (the ones
 * instrumentation.js loads), each instrument records once, and the names
 * come from the exporter's own text output.
 */
import {
  PrometheusExporter,
  PrometheusSerializer,
} from '@opentelemetry/exporter-prometheus';
import { MeterProvider } from '@opentelemetry/sdk-metrics';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse as parseYaml } from 'yaml';
// the Kubernetes client's retry loop, internal to the node library
// eslint-disable-next-line @backstage/no-relative-monorepo-imports
import { withRetry } from '../../../plugins/model-marketplace-node/src/retryPolicy';
// The metrics modules are internal to the plugins.
// eslint-disable-next-line @backstage/no-relative-monorepo-imports
import { MarketplaceMetrics } from '../../../plugins/model-marketplace-backend/src/metrics/MarketplaceMetrics';
// eslint-disable-next-line @backstage/no-relative-monorepo-imports
import { ModelActionMetrics } from '../../../plugins/scaffolder-backend-module-model/src/ModelActionMetrics';
import { ROOT } from './__testUtils__/demoBackend';
import { parsePrometheusText } from './__testUtils__/prometheus';

const METRIC = /\bmodel_marketplace_[a-z0-9_]+/g;

/** The Prometheus text of every marketplace instrument, each used once. */
async function emittedText(): Promise<string> {
  const exporter = new PrometheusExporter({ preventServerStart: true });
  const provider = new MeterProvider({ readers: [exporter] });
  try {
    const marketplace = new MarketplaceMetrics(
      provider.getMeter('backstage-plugin-model-marketplace'),
    );
    marketplace.requestCreated('approval', 'pending');
    marketplace.requestDecided(
      { accessPolicy: 'approval', createdAt: new Date().toISOString() },
      'approved',
    );
    marketplace.requestCancelled('open');
    await marketplace.timeBrowse({ q: 'x', filtered: false }, async () => ({
      totalItems: 3,
    }));
    marketplace.observe({
      indexSize: () => 3,
      pendingRequests: async () => [
        { policy: 'approval', count: 1, oldestCreatedAt: '2026-01-01' },
      ],
    });
    marketplace.indexSynced();
    const actions = new ModelActionMetrics(
      provider.getMeter('backstage-plugin-scaffolder'),
    );
    await actions.track('deploy', {}, async run => {
      run.runtime = 'vllm';
      run.writing = true;
      run.rolledBack = 'succeeded';
      let attempts = 0;
      await withRetry(
        async () => {
          attempts += 1;
          if (attempts === 1) {
            throw Object.assign(new Error('unavailable'), { code: 503 });
          }
        },
        { baseDelayMs: 1 },
      );
    });
    await actions.track('undeploy', {}, async run => {
      run.runtime = 'kserve';
    });
    const { resourceMetrics, errors } = await exporter.collect();
    expect(errors).toEqual([]);
    return new PrometheusSerializer().serialize(resourceMetrics);
  } finally {
    await provider.shutdown();
  }
}

describe('docs/monitoring', () => {
  let emitted: Set<string>;

  beforeAll(async () => {
    emitted = new Set(
      parsePrometheusText(await emittedText()).map(s => s.name),
    );
  });

  it('emits every instrument of the plugins', () => {
    expect([...emitted].filter(n => n.startsWith('model_marketplace')).sort())
      .toMatchInlineSnapshot(`
      [
        "model_marketplace_browse_duration_bucket",
        "model_marketplace_browse_duration_count",
        "model_marketplace_browse_duration_sum",
        "model_marketplace_browse_results_bucket",
        "model_marketplace_browse_results_count",
        "model_marketplace_browse_results_sum",
        "model_marketplace_deploy_duration_bucket",
        "model_marketplace_deploy_duration_count",
        "model_marketplace_deploy_duration_sum",
        "model_marketplace_deploy_retries_total",
        "model_marketplace_deploy_rollbacks_total",
        "model_marketplace_deploys_total",
        "model_marketplace_index_lag",
        "model_marketplace_index_models",
        "model_marketplace_requests_cancelled_total",
        "model_marketplace_requests_created_total",
        "model_marketplace_requests_decided_total",
        "model_marketplace_requests_decision_duration_bucket",
        "model_marketplace_requests_decision_duration_count",
        "model_marketplace_requests_decision_duration_sum",
        "model_marketplace_requests_pending",
        "model_marketplace_requests_pending_oldest_age",
        "model_marketplace_undeploys_total",
      ]
    `);
  });

  it('has three alert rules on emitted metrics', () => {
    const rules = parseYaml(
      readFileSync(join(ROOT, 'docs/monitoring/alerts.yaml'), 'utf8'),
    );
    const all = rules.groups.flatMap(
      (g: { rules: Array<Record<string, any>> }) => g.rules,
    );
    expect(all.map((r: { alert: string }) => r.alert)).toEqual([
      'ModelDeployFailureRateHigh',
      'ModelRequestsWaitingOverADay',
      'ModelIndexLagging',
    ]);
    for (const rule of all) {
      expect(rule).toEqual(
        expect.objectContaining({
          expr: expect.any(String),
          for: expect.stringMatching(/^\d+[smh]$/),
          labels: { severity: expect.any(String) },
          annotations: expect.objectContaining({ summary: expect.any(String) }),
        }),
      );
      const names = rule.expr.match(METRIC) ?? [];
      expect(names.length).toBeGreaterThan(0);
      for (const name of names) {
        expect({ rule: rule.alert, name, emitted: emitted.has(name) }).toEqual({
          rule: rule.alert,
          name,
          emitted: true,
        });
      }
    }
  });

  it('has a Grafana dashboard whose queries use emitted metrics', () => {
    const dashboard = JSON.parse(
      readFileSync(
        join(ROOT, 'docs/monitoring/grafana-dashboard.json'),
        'utf8',
      ),
    );
    const targets = dashboard.panels.flatMap(
      (p: { targets?: Array<{ expr: string }> }) => p.targets ?? [],
    );
    expect(targets.length).toBeGreaterThanOrEqual(10);
    const used = new Set<string>();
    for (const { expr } of targets) {
      for (const name of expr.match(METRIC) ?? []) {
        used.add(name);
        expect({ expr, name, emitted: emitted.has(name) }).toEqual({
          expr,
          name,
          emitted: true,
        });
      }
    }
    // every instrument has a panel
    const families = [...emitted]
      .filter(n => n.startsWith('model_marketplace'))
      .map(n => n.replace(/_(bucket|sum|count)$/, ''));
    for (const family of families) {
      expect({
        family,
        shown: [...used].some(u => u.startsWith(family)),
      }).toEqual({ family, shown: true });
    }
  });

  it('documents every metric in the plugin README', () => {
    const readme = readFileSync(
      join(ROOT, 'plugins/model-marketplace-backend/README.md'),
      'utf8',
    );
    const families = new Set(
      [...emitted]
        .filter(n => n.startsWith('model_marketplace'))
        .map(n => n.replace(/_(bucket|sum|count)$/, '')),
    );
    for (const family of families) {
      expect({ family, documented: readme.includes(`\`${family}\``) }).toEqual({
        family,
        documented: true,
      });
    }
    for (const name of readme.match(METRIC) ?? []) {
      const base = name.replace(/_(bucket|sum|count)$/, '');
      expect({ name, emitted: families.has(base) }).toEqual({
        name,
        emitted: true,
      });
    }
  });
});
