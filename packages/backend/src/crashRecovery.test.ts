/*
 * Crash test of deploys: runs the real backend (packages/backend, a child
 * process) against the test cluster, starts deploys through the scaffolder
 * with the deploy template, stops each of them at a step of the deploy
 * (before the dry-run, after the apply, while waiting for readiness: the
 * action's pause points, AIC_MODEL_DEPLOY_PAUSE_AT, make the moment
 * deterministic), kills the backend with SIGKILL, starts it again without
 * pause points, and checks that
 *
 * - every deploy reaches a final state (task completed or failed, inventory
 *   row deployed or failed) within BOUND_MS of the restarted backend
 *   answering,
 * - the cluster holds only objects of `deployed` rows, and the inventory
 *   matches the cluster exactly (no orphans either way).
 *
 * Half of the deploys are made to fail readiness, so that recovery must roll
 * back what the interrupted run applied. The backend runs on SQLite files in
 * a temporary folder (the tasks and the inventory survive the kill).
 */
import { startTestClusterForTests } from '@aic/kubernetes-testenv';
import { MANAGED_BY_VALUE } from '@aic/plugin-model-marketplace-common';
import { renderModelManifests } from '@aic/plugin-model-marketplace-node';
import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseAllDocuments } from 'yaml';
// The benchmarks' helper (bench/ is the repository's benchmark folder, not a
// package): packages/backend from source in its own process group.
// eslint-disable-next-line @backstage/no-relative-monorepo-imports
import { startBackend, stopBackend } from '../../../bench/lib/backendProcess';
import {
  QUIET_SEARCH,
  ROOT,
  clusterEnv,
  freePort,
  runCatalogLocations,
  signIn,
  waitFor,
  waitForEntity,
} from './__testUtils__/demoBackend';

const kill = (child: ChildProcess) => stopBackend(child, 'SIGKILL');
// CRASH_TEST_PORT, or a free port chosen in beforeAll (the restarted backend
// listens on the same one)
let PORT = Number(process.env.CRASH_TEST_PORT ?? 0);
let BASE = '';
const TOKEN = 'crash-test-token-0123456789-not-a-secret';
/** How long, after the restarted backend answers, every deploy may take to reach a final state. */
const BOUND_MS = 90_000;

jest.setTimeout(300_000);

type Run = {
  model: string;
  namespace: string;
  pauseAt: 'before-dry-run' | 'after-apply' | 'waiting-for-ready';
  readiness: 'ready' | 'fail';
  taskId?: string;
};

const RUNS: Run[] = [
  {
    model: 'multilingual-e5-large',
    namespace: 'team-assistants',
    pauseAt: 'before-dry-run',
    readiness: 'ready',
  },
  {
    model: 'qwen2-5-coder-7b-instruct',
    namespace: 'team-assistants',
    pauseAt: 'after-apply',
    readiness: 'ready',
  },
  {
    model: 'bge-large-en-v1-5',
    namespace: 'team-assistants',
    pauseAt: 'waiting-for-ready',
    readiness: 'ready',
  },
  {
    model: 'all-minilm-l6-v2',
    namespace: 'team-assistants-dev',
    pauseAt: 'before-dry-run',
    readiness: 'fail',
  },
  {
    model: 'mistral-7b-instruct',
    namespace: 'team-assistants-dev',
    pauseAt: 'after-apply',
    readiness: 'fail',
  },
  {
    model: 'bge-reranker-v2-m3',
    namespace: 'team-assistants-dev',
    pauseAt: 'waiting-for-ready',
    readiness: 'fail',
  },
];

describe('deploys killed mid-way (SIGKILL of the backend)', () => {
  let cluster: Awaited<ReturnType<typeof startTestClusterForTests>>;
  let dir: string;
  let backend: ChildProcess | undefined;

  beforeAll(async () => {
    PORT = PORT || (await freePort());
    BASE = `http://localhost:${PORT}`;
    cluster = await startTestClusterForTests({
      namespaces: ['team-assistants', 'team-assistants-dev'],
      token: TOKEN,
      rolloutDelayMs: 500,
    });
    dir = mkdtempSync(join(tmpdir(), 'crash-test-'));
  });

  afterAll(async () => {
    if (backend) await kill(backend);
    await cluster?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('finishes or rolls back every interrupted deploy; the inventory equals the cluster', async () => {
    const models = new Map(
      parseAllDocuments(
        readFileSync(join(ROOT, 'examples/models.yaml'), 'utf8'),
      )
        .map(d => d.toJSON())
        .filter(e => e?.kind === 'Model')
        .map(e => [
          e.metadata.name,
          { ...e, metadata: { namespace: 'default', ...e.metadata } },
        ]),
    );
    // On the real control plane the namespaces are unique to this run: the
    // catalog's groups name them, from a copy of examples/org.yaml.
    for (const run of RUNS) run.namespace = cluster.ns(run.namespace);
    const locations = runCatalogLocations(dir, cluster.ns);
    for (const run of RUNS) {
      const { name } = renderModelManifests({
        model: models.get(run.model),
        team: 'group:default/team-assistants',
        namespace: run.namespace,
      });
      await cluster.setReadiness(run.readiness, {
        namespace: run.namespace,
        name,
      });
    }

    const configPath = join(dir, 'app-config.crash-test.yaml');
    writeFileSync(
      configPath,
      JSON.stringify({
        backend: {
          baseUrl: BASE,
          listen: { port: PORT },
          database: {
            client: 'better-sqlite3',
            connection: { directory: join(dir, 'db') },
          },
        },
        catalog: { locations },
        auth: {
          providers: {
            guest: {
              userEntityRef: 'user:default/guest',
              dangerouslyAllowOutsideDevelopment: true,
            },
          },
        },
        scaffolder: {
          taskRecovery: { enabled: true, staleTimeout: { seconds: 2 } },
        },
        modelMarketplace: {
          deploy: { heartbeatInterval: { seconds: 1 } },
          deployments: {
            reconcile: {
              frequency: { seconds: 3 },
              staleAfter: { seconds: 60 },
            },
          },
        },
        search: QUIET_SEARCH,
      }),
    );
    const env = clusterEnv(cluster);

    const ready = async () => {
      await waitForEntity(BASE, 'template:default/deploy-model');
      return (await signIn(BASE))!;
    };

    // 1. Start, dispatch every deploy, wait until each stands at its step.
    backend = startBackend(configPath, {
      ...env,
      // the task log (where the pause points are announced) carries info
      LOG_LEVEL: 'info',
      AIC_MODEL_DEPLOY_PAUSE_AT: RUNS.map(r => `${r.model}:${r.pauseAt}`).join(
        ',',
      ),
    });
    let token = await ready();
    const api = async (path: string, init: RequestInit = {}) => {
      const res = await fetch(`${BASE}${path}`, {
        ...init,
        headers: {
          Authorization: `Bearer ${token}`,
          'Content-Type': 'application/json',
        },
      });
      if (!res.ok)
        throw new Error(`${path}: ${res.status} ${await res.text()}`);
      return res.json() as Promise<any>;
    };
    for (const run of RUNS) {
      const task = await api('/api/scaffolder/v2/tasks', {
        method: 'POST',
        body: JSON.stringify({
          templateRef: 'template:default/deploy-model',
          values: {
            model: `model:default/${run.model}`,
            team: 'group:default/team-assistants',
            namespace: run.namespace,
            cluster: 'sandbox',
          },
        }),
      });
      run.taskId = task.id;
    }
    for (const run of RUNS) {
      await waitFor(
        `${run.model} at ${run.pauseAt}`,
        async () => {
          const events: any[] = await api(
            `/api/scaffolder/v2/tasks/${run.taskId}/events`,
          );
          const task = await api(`/api/scaffolder/v2/tasks/${run.taskId}`);
          if (['completed', 'failed', 'cancelled'].includes(task.status)) {
            throw Object.assign(
              new Error(
                `task ${run.taskId} of ${run.model} is ${
                  task.status
                } before its pause point: ${events
                  .map(e => e.body?.message)
                  .filter(Boolean)
                  .join(' | ')}`,
              ),
              { fatal: true },
            );
          }
          if (
            events.some(e =>
              String(e.body?.message).includes(
                `pause point ${run.pauseAt} reached`,
              ),
            )
          ) {
            return true;
          }
          throw new Error(
            `task ${task.status}; events: ${JSON.stringify(events).slice(
              -1500,
            )}`,
          );
        },
        60_000,
      );
    }
    const before = (await cluster.listManaged(MANAGED_BY_VALUE)).length;

    // 2. Kill.
    await kill(backend);
    const kills = 1;

    // 3. Restart without pause points; measure until all are final.
    backend = startBackend(configPath, { ...env, LOG_LEVEL: 'info' });
    token = await ready();
    const restartedAt = Date.now();
    const tasks = await waitFor(
      'every task to finish',
      async () => {
        const all = await Promise.all(
          RUNS.map(r => api(`/api/scaffolder/v2/tasks/${r.taskId}`)),
        );
        return all.every(t => ['completed', 'failed'].includes(t.status))
          ? all
          : undefined;
      },
      BOUND_MS,
    );
    const rows = await waitFor(
      'every inventory row to be final',
      async () => {
        const { items } = await api('/api/model-marketplace/deployments');
        return items.length === RUNS.length &&
          items.every((d: any) =>
            ['deployed', 'failed', 'rolled-back'].includes(d.status),
          )
          ? (items as any[])
          : undefined;
      },
      Math.max(1000, BOUND_MS - (Date.now() - restartedAt)),
    );
    const settledMs = Date.now() - restartedAt;

    // 4. Check.
    // A failed rollout is rolled back by the resumed deploy (failed), or by
    // the reconciler if it got there first (rolled-back): both count as
    // rolled back here.
    const outcomes = RUNS.map((run, i) => {
      const status = rows.find(
        d => d.model === `model:default/${run.model}`,
      )?.status;
      return {
        model: run.model,
        task: tasks[i].status,
        row: status === 'rolled-back' ? 'failed' : status,
      };
    });
    expect(outcomes).toEqual(
      RUNS.map(run => ({
        model: run.model,
        task: run.readiness === 'ready' ? 'completed' : 'failed',
        row: run.readiness === 'ready' ? 'deployed' : 'failed',
      })),
    );
    const key = (o: any) => `${o.kind} ${o.namespace}/${o.name}`;
    const recorded = rows
      .filter(d => d.status === 'deployed')
      .flatMap(d => d.objects)
      .map(key)
      .sort();
    const inCluster = (await cluster.listManaged(MANAGED_BY_VALUE))
      .map(key)
      .sort();
    const orphans = inCluster.filter(k => !recorded.includes(k));
    const missing = recorded.filter(k => !inCluster.includes(k));
    expect(orphans).toEqual([]);
    expect(missing).toEqual([]);
    expect(
      rows
        .filter(d => d.status !== 'deployed')
        .every(d => d.objects.length === 0),
    ).toBe(true);
    expect(settledMs).toBeLessThan(BOUND_MS);

    // eslint-disable-next-line no-console
    console.log(
      [
        `crash test figures (${
          cluster.real ? 'real control plane' : 'Kubernetes sandbox'
        }):`,
        `  runs: ${RUNS.length} deploys (${RUNS.map(
          r => `${r.model}@${r.pauseAt}→${r.readiness}`,
        ).join(', ')})`,
        `  kills: ${kills} SIGKILL of the backend with all ${RUNS.length} deploys stopped at their step; managed objects in the cluster at the kill: ${before}`,
        `  final: ${
          tasks.filter(t => t.status === 'completed').length
        } tasks completed, ${
          tasks.filter(t => t.status === 'failed').length
        } failed; rows ${rows.map(d => d.status).join(', ')}`,
        `  settled ${settledMs} ms after the restarted backend answered (bound ${BOUND_MS} ms)`,
        `  orphans found: ${orphans.length}; recorded objects missing from the cluster: ${missing.length}`,
      ].join('\n'),
    );
  });
});
