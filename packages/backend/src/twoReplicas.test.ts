/*
 * Two replicas of the real backend (packages/backend, two child processes)
 * on one PostgreSQL server, with one database prefix of their own, as a
 * platform team runs Backstage. Checks that
 *
 * - a request created on replica A is decided on replica B;
 * - of two approvers deciding at once on different replicas, exactly one
 *   wins and the other gets 409;
 * - a catalog change (a model's title, a new model) shows in the browse
 *   results of both replicas, and was announced once in the shared change
 *   feed;
 * - scheduled work that changes shared state runs once, not per replica:
 *   the deployment reconciler (a global task, every 2 s here) runs one
 *   replica at a time, never both at once, once per tick in all, as the
 *   debug log lines of both processes show; the index refresh is local by
 *   design (each replica refreshes its own in-memory index) and what it
 *   shares, the change feed, holds each catalog change once;
 * - every notification is stored once (the notifications table holds one row
 *   per recipient and event);
 * - killing replica B with SIGKILL while clients create requests on both
 *   loses no request either replica acknowledged with 201.
 *
 * Needs PostgreSQL: BACKSTAGE_TEST_DATABASE_POSTGRES17_CONNECTION_STRING
 * (skipped without it, failing in CI). Ports REPLICA_TEST_PORTS (default
 * "7180,7181").
 */
import type { ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import knexFactory, { Knex } from 'knex';
import { stringify } from 'yaml';
// The benchmarks' helper (bench/ is the repository's benchmark folder, not a
// package): packages/backend from source in its own process group.
// eslint-disable-next-line @backstage/no-relative-monorepo-imports
import {
  root,
  signIn,
  startBackend,
  stopBackend,
  waitFor,
} from '../../../bench/lib/backendProcess';
// eslint-disable-next-line @backstage/no-relative-monorepo-imports
import { approvalModel } from '../../../bench/lib/generatedModels';

const PG = process.env.BACKSTAGE_TEST_DATABASE_POSTGRES17_CONNECTION_STRING;
const PORTS = (process.env.REPLICA_TEST_PORTS ?? '7180,7181')
  .split(',')
  .map(Number);
/** Bound for a catalog change to show in browse on both replicas. */
const PROPAGATION_MS = 30_000;
const MODEL = 'replica-test-model';
/** The reconciler's frequency in this test. */
const RECONCILE_MS = 2000;
/** How long both replicas' reconciler runs are watched. */
const WATCH_MS = 30_000;
const VERSIONS = 400;

jest.setTimeout(600_000);

const modelDoc = (name: string, title: string) =>
  approvalModel(name, VERSIONS, title);

type Replica = {
  name: string;
  base: string;
  config: string;
  log: string;
  process?: ChildProcess;
};

/** The reconciler runs a replica's log records: start and end (ms since epoch). */
function reconcilerRuns(log: string): Array<{ start: number; end: number }> {
  const runs: Array<{ start: number; end: number }> = [];
  for (const m of readFileSync(log, 'utf8').matchAll(
    /Deployment reconciler run: (\d+)-(\d+)/g,
  )) {
    runs.push({ start: Number(m[1]), end: Number(m[2]) });
  }
  return runs;
}

const describeWithPg = PG || process.env.CI ? describe : describe.skip;

describeWithPg('two replicas on one PostgreSQL database', () => {
  // REPLICA_TEST_DB_PREFIX: a prefix of one's own on a shared server
  const prefix = `${
    process.env.REPLICA_TEST_DB_PREFIX ?? 'mmrep_'
  }${randomBytes(4).toString('hex')}_`;
  const dir = mkdtempSync(join(tmpdir(), 'two-replicas-'));
  const modelsFile = join(dir, 'models.yaml');
  const replicas: Replica[] = PORTS.map((port, i) => ({
    name: i === 0 ? 'A' : 'B',
    base: `http://localhost:${port}`,
    config: join(dir, `replica-${i}.yaml`),
    log: join(dir, `replica-${i}.log`),
  }));
  const [a, b] = replicas;
  let admin: Knex;
  const db = (plugin: string) =>
    knexFactory({ client: 'pg', connection: `${PG}/${prefix}${plugin}` });

  const writeModels = (docs: object[]) =>
    writeFileSync(modelsFile, docs.map(d => stringify(d)).join('---\n'));

  const call = async (
    r: Replica,
    token: string,
    path: string,
    body?: unknown,
  ) => {
    const res = await fetch(`${r.base}${path}`, {
      method: body ? 'POST' : 'GET',
      headers: {
        Authorization: `Bearer ${token}`,
        'Content-Type': 'application/json',
      },
      body: body ? JSON.stringify(body) : undefined,
    });
    return { status: res.status, body: (await res.json()) as any };
  };

  /** Starts the replica and waits until it knows the guest's team and the test model. */
  const start = async (r: Replica) => {
    // debug: the reconciler's run lines are counted
    writeFileSync(r.log, '');
    r.process = startBackend(
      r.config,
      { LOG_LEVEL: 'debug' },
      { logFile: r.log },
    );
    await waitFor(
      `replica ${r.name} with the catalog and the marketplace index`,
      async () => {
        const t = await signIn(r.base);
        if (!t) return undefined;
        const user = await call(
          r,
          t,
          '/api/catalog/entities/by-name/user/default/guest',
        );
        const member = user.body.relations?.some(
          (x: any) =>
            x.type === 'memberOf' &&
            x.targetRef === 'group:default/team-assistants',
        );
        const model = await call(
          r,
          t,
          `/api/model-marketplace/models/default/${MODEL}`,
        );
        return member && model.status === 200 ? true : undefined;
      },
      240_000,
      500,
    );
    // again, now that the catalog knows the guest's groups (ownership claims)
    return (await signIn(r.base))!;
  };

  beforeAll(async () => {
    if (!PG) {
      throw new Error(
        'BACKSTAGE_TEST_DATABASE_POSTGRES17_CONNECTION_STRING is not set; this test needs PostgreSQL',
      );
    }
    admin = knexFactory({ client: 'pg', connection: `${PG}/postgres` });
    writeModels([modelDoc(MODEL, 'Replica test model')]);
    const pg = new URL(PG);
    for (const r of replicas) {
      writeFileSync(
        r.config,
        JSON.stringify({
          backend: {
            baseUrl: r.base,
            listen: { port: Number(new URL(r.base).port) },
            database: {
              client: 'pg',
              prefix,
              connection: {
                host: pg.hostname,
                port: Number(pg.port || 5432),
                user: decodeURIComponent(pg.username || 'postgres'),
                ...(pg.password
                  ? { password: decodeURIComponent(pg.password) }
                  : {}),
              },
            },
          },
          catalog: {
            locations: [
              {
                type: 'file',
                target: join(root, 'examples/org.yaml'),
                rules: [{ allow: ['User', 'Group'] }],
              },
              {
                type: 'file',
                target: modelsFile,
                rules: [{ allow: ['Model'] }],
              },
            ],
          },
          modelMarketplace: {
            deployments: {
              reconcile: { frequency: { milliseconds: RECONCILE_MS } },
            },
          },
          search: {
            collators: {
              catalog: {
                schedule: {
                  frequency: { hours: 24 },
                  timeout: { minutes: 15 },
                  initialDelay: { hours: 24 },
                },
              },
            },
          },
        }),
      );
    }
  });

  afterAll(async () => {
    await Promise.all(
      replicas.map(r => (r.process ? stopBackend(r.process) : undefined)),
    );
    if (admin) {
      const { rows } = await admin.raw(
        'SELECT datname FROM pg_database WHERE datname LIKE ?',
        [`${prefix.replace(/_/g, '\\_')}%`],
      );
      for (const { datname } of rows as Array<{ datname: string }>) {
        await admin.raw(`DROP DATABASE IF EXISTS "${datname}" WITH (FORCE)`);
      }
      await admin.destroy();
    }
    rmSync(dir, { recursive: true, force: true });
  });

  it('shares requests, decisions, catalog changes and notifications, and loses nothing acknowledged when one dies', async () => {
    // A first: it creates the databases and runs the migrations; B then
    // joins the same databases.
    const guestA = await start(a);
    const guestB = await start(b);
    const bothUpAt = Date.now();
    const marcusA = (await signIn(a.base, 'marcus.bell'))!;
    const marcusB = (await signIn(b.base, 'marcus.bell'))!;
    const lenaB = (await signIn(b.base, 'lena.hoffmann'))!;
    let version = 0;
    const create = (r: Replica, token: string) =>
      call(r, token, '/api/model-marketplace/requests', {
        model: MODEL,
        version: `1.0.${version++}`,
        team: 'team-assistants',
        purpose: 'two replicas',
      });

    // 1. Created on A, decided on B, read back on A.
    const first = await create(a, guestA);
    expect(first.status).toBe(201);
    const decided = await call(
      b,
      marcusB,
      `/api/model-marketplace/requests/${first.body.id}/decision`,
      { decision: 'approve', comment: 'on replica B' },
    );
    expect(decided.status).toBe(200);
    const readBack = await call(
      a,
      guestA,
      `/api/model-marketplace/requests/${first.body.id}`,
    );
    expect(readBack.body.status).toBe('approved');

    // 2. Two approvers at once, on different replicas: one wins, one 409.
    for (let round = 0; round < 5; round++) {
      const req = await create(b, guestB);
      expect(req.status).toBe(201);
      const path = `/api/model-marketplace/requests/${req.body.id}/decision`;
      const outcomes = await Promise.all([
        call(a, marcusA, path, { decision: 'approve', comment: 'A' }),
        call(b, lenaB, path, { decision: 'reject', comment: 'B' }),
      ]);
      expect(outcomes.map(o => o.status).sort()).toEqual([200, 409]);
      const loser = outcomes.find(o => o.status === 409)!;
      expect(loser.body.error.name).toBe('ConflictError');
      const winner = outcomes.find(o => o.status === 200)!;
      const stored = await call(
        a,
        guestA,
        `/api/model-marketplace/requests/${req.body.id}`,
      );
      expect(stored.body.status).toBe(winner.body.status);
      expect(
        stored.body.timeline.filter((e: any) =>
          ['approved', 'rejected'].includes(e.action),
        ),
      ).toHaveLength(1);
    }

    // 3. A catalog change shows in both replicas' browse results.
    writeModels([
      modelDoc(MODEL, 'Replica test model, renamed'),
      modelDoc('replica-test-added', 'Added while two replicas run'),
    ]);
    const refreshed = await fetch(`${a.base}/api/catalog/refresh`, {
      method: 'POST',
      headers: {
        Authorization: `Bearer ${guestA}`,
        'Content-Type': 'application/json',
      },
      body: JSON.stringify({ entityRef: `model:default/${MODEL}` }),
    });
    expect(refreshed.status).toBe(200);
    const changedAt = Date.now();
    for (const [r, token] of [
      [a, guestA],
      [b, guestB],
    ] as const) {
      await waitFor(
        `the renamed and the added model in replica ${r.name}'s browse`,
        async () => {
          const { status, body } = await call(
            r,
            token,
            '/api/model-marketplace/models?q=replica&sort=name',
          );
          if (status !== 200) {
            throw new Error(
              `browse answered ${status}: ${JSON.stringify(body)}`,
            );
          }
          const titles = body.items.map((m: any) => m.title);
          return titles.includes('Replica test model, renamed') &&
            titles.includes('Added while two replicas run')
            ? true
            : undefined;
        },
        Math.max(1000, PROPAGATION_MS - (Date.now() - changedAt)),
        200,
      );
    }
    const propagatedMs = Date.now() - changedAt;
    const marketplaceDb = db('model-marketplace');
    const announcements = await marketplaceDb('model_index_changes')
      .where('entity_ref', 'model:default/replica-test-added')
      .count({ n: '*' })
      .first();
    // one catalog change, announced by the replica that processed it
    expect(Number(announcements?.n)).toBe(1);

    // 4. Scheduled work: the reconciler runs once per tick across both
    // replicas, never on both at once (each process logs its runs).
    await waitFor(
      `${WATCH_MS} ms of reconciler runs with both replicas up`,
      async () => (Date.now() - bothUpAt >= WATCH_MS ? true : undefined),
      WATCH_MS * 2,
      500,
    );
    const watchedUntil = Date.now();
    const runs = replicas
      .flatMap(r => reconcilerRuns(r.log).map(run => ({ ...run, on: r.name })))
      .filter(run => run.start >= bothUpAt && run.end <= watchedUntil)
      .sort((x, y) => x.start - y.start);
    // it ran at all...
    expect(runs.length).toBeGreaterThanOrEqual(2);
    // ...never on both replicas at once...
    for (let i = 1; i < runs.length; i++) {
      expect(runs[i].start).toBeGreaterThanOrEqual(runs[i - 1].end);
    }
    // ...and once per tick in all: per replica it would be about twice this
    // (the scheduler allows one catch-up run after a late one)
    expect(runs.length).toBeLessThanOrEqual(
      Math.floor((watchedUntil - bothUpAt) / RECONCILE_MS) + 2,
    );
    const runsOn = (name: string) => runs.filter(r => r.on === name).length;

    // 5. Load on both replicas; B dies with SIGKILL half-way.
    const acknowledged = new Map<string, string>();
    const total = 120;
    let killedB = false;
    let connectionErrors = 0;
    const client = async (r: Replica, token: string) => {
      while (acknowledged.size < total) {
        if (r === b && killedB) return;
        try {
          const res = await create(r, token);
          if (res.status === 201) {
            acknowledged.set(res.body.id, r.name);
            if (!killedB && acknowledged.size >= total / 2) {
              killedB = true;
              await stopBackend(b.process!, 'SIGKILL');
            }
          }
        } catch {
          connectionErrors += 1; // B's connections while it dies
          if (r === b) return;
        }
      }
    };
    await Promise.all([
      ...Array.from({ length: 4 }, () => client(a, guestA)),
      ...Array.from({ length: 4 }, () => client(b, guestB)),
    ]);
    expect(killedB).toBe(true);
    const ids = [...acknowledged.keys()];
    const stored = await marketplaceDb('model_requests')
      .whereIn('id', ids)
      .select('id');
    expect(stored.map(s => s.id).sort()).toEqual([...ids].sort());
    expect(new Set(acknowledged.values())).toEqual(new Set(['A', 'B']));

    // 6. Every notification once: per request link and recipient, one row.
    // Sends happen after the response; wait until the ones of step 1 are in.
    const notificationsDb = db('notifications');
    await waitFor(
      'the notifications of the first request',
      async () => {
        const rows = await notificationsDb('notification')
          .where('link', 'like', `%request=${first.body.id}`)
          .select('user');
        return rows.length >= 3 ? rows : undefined;
      },
      60_000,
      500,
    );
    const duplicates = await notificationsDb('notification')
      .select('user', 'link', 'title')
      .count({ n: '*' })
      .where('topic', 'model-marketplace')
      .groupBy('user', 'link', 'title')
      .having(notificationsDb.raw('count(*) > 1'));
    expect(duplicates).toEqual([]);
    const firstRecipients = (
      await notificationsDb('notification')
        .where('link', 'like', `%request=${first.body.id}`)
        .select('user', 'link')
    )
      .map(r => `${r.user} ${r.link.split('?')[0]}`)
      .sort();
    expect(firstRecipients).toEqual([
      'user:default/guest /models/requests',
      'user:default/lena.hoffmann /models/approvals',
      'user:default/marcus.bell /models/approvals',
    ]);
    await marketplaceDb.destroy();
    await notificationsDb.destroy();

    // eslint-disable-next-line no-console
    console.log(
      [
        'two replicas figures:',
        `  catalog change in both replicas' browse after ${propagatedMs} ms (bound ${PROPAGATION_MS} ms)`,
        `  reconciler: ${runs.length} runs in ${
          watchedUntil - bothUpAt
        } ms at a ${RECONCILE_MS} ms frequency (A ${runsOn('A')}, B ${runsOn(
          'B',
        )}), none overlapping`,
        `  load: ${acknowledged.size} requests acknowledged (${
          ids.filter(id => acknowledged.get(id) === 'B').length
        } by B before its SIGKILL), all stored; ${connectionErrors} connection errors at the kill`,
      ].join('\n'),
    );
  });
});
