/*
 * The metrics end to end: runs the real backend (packages/backend, a child
 * process) with packages/backend/instrumentation.js loaded before it, as in
 * the demo and in production, against the test cluster (the real control
 * plane when built, else the Kubernetes sandbox). marcus.bell requests
 * llama-3-1-8b-instruct (policy approval, runtime vllm) and browses,
 * jonas.weber approves, marcus deploys it through the scaffolder's
 * deploy-model template; then the Prometheus endpoint must carry each series
 * with its labels and value.
 */
import { startTestClusterForTests } from '@aic/kubernetes-testenv';
import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
// eslint-disable-next-line @backstage/no-relative-monorepo-imports
import { startBackend, stopBackend } from '../../../bench/lib/backendProcess';
import {
  QUIET_SEARCH,
  ROOT,
  clusterEnv,
  runCatalogLocations,
  signIn,
  waitFor,
  waitForEntity,
  freePort,
} from './__testUtils__/demoBackend';
import { parsePrometheusText, type Sample } from './__testUtils__/prometheus';

const TOKEN = 'metrics-test-token-0123456789-not-a-secret';
const MODEL = 'model:default/llama-3-1-8b-instruct';
const TEAM = 'group:default/team-assistants';

jest.setTimeout(300_000);

/** The one sample of `name` whose labels include `labels`. */
function sample(
  samples: Sample[],
  name: string,
  labels: Record<string, string>,
): Sample | undefined {
  const found = samples.filter(
    s =>
      s.name === name &&
      Object.entries(labels).every(([k, v]) => s.labels[k] === v),
  );
  if (found.length > 1) {
    throw new Error(`${found.length} series of ${name} match`);
  }
  return found[0];
}

describe('metrics in Prometheus format', () => {
  let cluster: Awaited<ReturnType<typeof startTestClusterForTests>>;
  let dir: string;
  let backend: ChildProcess | undefined;
  let base: string;
  let metricsUrl: string;

  beforeAll(async () => {
    cluster = await startTestClusterForTests({
      namespaces: ['team-assistants'],
      token: TOKEN,
      rolloutDelayMs: 500,
    });
    const [port, metricsPort] = [await freePort(), await freePort()];
    base = `http://localhost:${port}`;
    metricsUrl = `http://127.0.0.1:${metricsPort}/metrics`;
    dir = mkdtempSync(join(tmpdir(), 'metrics-test-'));
    const configPath = join(dir, 'app-config.metrics-test.yaml');
    writeFileSync(
      configPath,
      JSON.stringify({
        backend: {
          baseUrl: base,
          listen: { port },
          database: {
            client: 'better-sqlite3',
            connection: { directory: join(dir, 'db') },
          },
        },
        catalog: { locations: runCatalogLocations(dir, cluster.ns) },
        search: QUIET_SEARCH,
      }),
    );
    backend = startBackend(
      configPath,
      {
        ...clusterEnv(cluster),
        OTEL_EXPORTER_PROMETHEUS_PORT: String(metricsPort),
        OTEL_EXPORTER_PROMETHEUS_HOST: '127.0.0.1',
      },
      {
        nodeOptions: [
          '--require',
          join(ROOT, 'packages/backend/instrumentation.js'),
        ],
      },
    );
    await waitForEntity(base, 'template:default/deploy-model');
    await waitForEntity(base, MODEL);
  });

  afterAll(async () => {
    if (backend) await stopBackend(backend);
    await cluster?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const scrape = async () => {
    const res = await fetch(metricsUrl);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/plain/);
    return parsePrometheusText(await res.text());
  };

  it('counts a request, its approval, a browse and a deploy, with bounded labels', async () => {
    const api = async (user: string, path: string, init: RequestInit = {}) => {
      const token = await waitFor(
        `sign-in of ${user}`,
        () => signIn(base, user),
        60_000,
      );
      const res = await fetch(`${base}${path}`, {
        ...init,
        headers: {
          Authorization: `Bearer ${token}`,
          'Content-Type': 'application/json',
        },
      });
      if (!res.ok) {
        throw new Error(`${path}: ${res.status} ${await res.text()}`);
      }
      return res.json() as Promise<any>;
    };

    // the index holds the model: browse finds it
    const browsed = await waitFor(
      'the model in the marketplace index',
      async () => {
        const page = await api(
          'marcus.bell',
          '/api/model-marketplace/models?q=llama&type=llm',
        );
        return page.totalItems > 0 ? page : undefined;
      },
      120_000,
    );

    const request = await api(
      'marcus.bell',
      '/api/model-marketplace/requests',
      {
        method: 'POST',
        body: JSON.stringify({
          model: MODEL,
          team: TEAM,
          purpose: 'metrics test',
        }),
      },
    );
    expect(request.status).toBe('pending');

    // a pending request: its count and the age of the oldest, per policy
    let samples = await scrape();
    expect(
      sample(samples, 'model_marketplace_requests_pending', {
        policy: 'approval',
      })?.value,
    ).toBe(1);
    const age = sample(
      samples,
      'model_marketplace_requests_pending_oldest_age',
      { policy: 'approval' },
    );
    expect(age?.value).toBeGreaterThanOrEqual(0);
    expect(age?.value).toBeLessThan(600);

    await api(
      'jonas.weber',
      `/api/model-marketplace/requests/${request.id}/decision`,
      {
        method: 'POST',
        body: JSON.stringify({ decision: 'approve', comment: 'ok' }),
      },
    );

    const task = await api('marcus.bell', '/api/scaffolder/v2/tasks', {
      method: 'POST',
      body: JSON.stringify({
        templateRef: 'template:default/deploy-model',
        values: {
          model: MODEL,
          team: TEAM,
          namespace: cluster.ns('team-assistants'),
          cluster: 'sandbox',
        },
      }),
    });
    await waitFor(
      'the deploy task',
      async () => {
        const t = await api(
          'marcus.bell',
          `/api/scaffolder/v2/tasks/${task.id}`,
        );
        if (t.status === 'failed' || t.status === 'cancelled') {
          throw Object.assign(new Error(`the deploy task is ${t.status}`), {
            fatal: true,
          });
        }
        return t.status === 'completed' ? t : undefined;
      },
      240_000,
    );

    samples = await scrape();
    const value = (name: string, labels: Record<string, string> = {}) =>
      sample(samples, name, labels)?.value;

    // requests, by policy and outcome
    expect(
      value('model_marketplace_requests_created_total', {
        policy: 'approval',
        outcome: 'pending',
        otel_scope_name: 'backstage-plugin-model-marketplace',
      }),
    ).toBe(1);
    expect(
      value('model_marketplace_requests_decided_total', {
        policy: 'approval',
        outcome: 'approved',
      }),
    ).toBe(1);
    expect(
      value('model_marketplace_requests_decision_duration_count', {
        policy: 'approval',
        outcome: 'approved',
      }),
    ).toBe(1);
    expect(
      value('model_marketplace_requests_decision_duration_bucket', {
        policy: 'approval',
        outcome: 'approved',
        le: '60',
      }),
    ).toBe(1);
    expect(
      value('model_marketplace_requests_pending', { policy: 'approval' }),
    ).toBe(0);
    expect(
      value('model_marketplace_requests_pending_oldest_age', {
        policy: 'approval',
      }),
    ).toBe(0);

    // the deploy, by runtime and outcome, in the scaffolder's scope
    expect(
      value('model_marketplace_deploys_total', {
        runtime: 'vllm',
        outcome: 'succeeded',
        otel_scope_name: 'backstage-plugin-scaffolder',
      }),
    ).toBe(1);
    expect(
      value('model_marketplace_deploy_duration_count', {
        runtime: 'vllm',
        outcome: 'succeeded',
      }),
    ).toBe(1);
    const buckets = samples
      .filter(
        s =>
          s.name === 'model_marketplace_deploy_duration_bucket' &&
          s.labels.runtime === 'vllm',
      )
      .map(s => s.labels.le);
    expect(buckets).toEqual([
      '1',
      '2',
      '5',
      '10',
      '30',
      '60',
      '120',
      '300',
      '600',
      '+Inf',
    ]);
    expect(
      value('model_marketplace_deploy_duration_bucket', {
        runtime: 'vllm',
        outcome: 'succeeded',
        le: '+Inf',
      }),
    ).toBe(1);
    // a deploy that went through: nothing rolled back
    expect(
      samples.some(s => s.name === 'model_marketplace_deploy_rollbacks_total'),
    ).toBe(false);

    // browse: the calls above, timed, and the size of their results
    expect(
      value('model_marketplace_browse_duration_count', {
        query: 'text',
        filtered: 'true',
      }),
    ).toBeGreaterThanOrEqual(1);
    const sizes = sample(samples, 'model_marketplace_browse_results_sum', {
      query: 'text',
      filtered: 'true',
    });
    expect(sizes?.value).toBeGreaterThanOrEqual(browsed.totalItems);

    // the index: its size and how far it is behind
    expect(value('model_marketplace_index_models')).toBeGreaterThanOrEqual(10);
    const lag = value('model_marketplace_index_lag');
    expect(lag).toBeGreaterThanOrEqual(0);
    expect(lag).toBeLessThan(60);

    // bounded labels: no user, team or model names
    for (const s of samples.filter(x =>
      x.name.startsWith('model_marketplace'),
    )) {
      for (const v of Object.values(s.labels)) {
        expect(v).not.toMatch(/llama|marcus|jonas|team-assistants|default\//);
      }
    }
  });
});
