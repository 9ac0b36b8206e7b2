/*
 * Request workflow under load, on PostgreSQL, with a crash in the middle.
 *
 * Drops and creates the database `model_marketplace_bench` on the local
 * PostgreSQL (BENCH_PG, default postgresql://postgres@127.0.0.1:5432), starts
 * the backend (packages/backend, without file watching) on port 7108 with the
 * model-marketplace plugin's database there (the other plugins' databases
 * on the same server, prefixed `mmbench_`, dropped at the start),
 * signs in as the guest user (the requester) and as marcus.bell (the
 * approver: nobody may decide their own request), and lets 50 concurrent
 * clients create and approve 2,000 requests for the model `load-test-model`
 * (policy `approval`, approved by team-assistants, which both users are in).
 * A team may hold only one open request per model and version, so the bench
 * registers that model with one version per request (written to a catalog
 * file of its own) and each attempt asks for the next version; an attempt
 * that the crash interrupted after its commit answers 409 when retried under
 * another version, never twice. When half of the requests are acknowledged, it
 * kills the backend with SIGKILL, starts it again and lets the clients
 * finish. Then it checks in the database that every request acknowledged with
 * 201 exists exactly once, with exactly one creation row in its timeline, and
 * that every acknowledged approval is recorded. Finally it runs the same
 * concurrency against `GET /health`, the plugin's cheapest endpoint, and
 * against a create that the plugin's router refuses at request validation
 * (400: the user's token checked and the body parsed and validated, none of
 * the plugin's own work, so the framework's part of every create), and
 * prints the ratios, how many notifications still wait in the outbox (they
 * are stored before each answer and sent afterwards) and the load average.
 * Rates depend on how busy the machine is; so it also prints the CPU time
 * that the backend, PostgreSQL and the client spent per call (from
 * /proc/<pid>/stat and process.cpuUsage), which does not, and, after the
 * clients finish, waits for the outbox to empty and counts the backend's
 * CPU for the notifications still to send.
 *
 * Environment: BENCH_REQUESTS (2000), BENCH_CLIENTS (50), BENCH_PORT (7108),
 * BENCH_DB (the plugin's database, default `model_marketplace_bench`),
 * BENCH_DB_PREFIX (the other plugins' databases, default `mmbench_`),
 * BENCH_NODE_OPTIONS (more node options for the backend, e.g. `--cpu-prof`).
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import knexFactory from 'knex';
import { root, startBackend, stopBackend, waitFor } from './lib/backendProcess';
import { approvalModel } from './lib/generatedModels';

const port = Number(process.env.BENCH_PORT ?? 7108);
const base = `http://localhost:${port}`;
const total = Number(process.env.BENCH_REQUESTS ?? 2000);
const clients = Number(process.env.BENCH_CLIENTS ?? 50);
const pgUrl = process.env.BENCH_PG ?? 'postgresql://postgres@127.0.0.1:5432';
const database = process.env.BENCH_DB ?? 'model_marketplace_bench';
const prefix = process.env.BENCH_DB_PREFIX ?? 'mmbench_';
const nodeOptions = (process.env.BENCH_NODE_OPTIONS ?? '')
  .split(/\s+/)
  .filter(Boolean);
for (const name of [database, prefix]) {
  if (!/^[a-z_][a-z0-9_]*$/.test(name)) {
    throw new Error(
      `BENCH_DB and BENCH_DB_PREFIX must be lower-case SQL identifiers, got '${name}'`,
    );
  }
}

/** One model with a version per request attempt (and room for retries). */
function loadTestModel(versions: number): string {
  return JSON.stringify(approvalModel('load-test-model', versions));
}

async function signInApprover(): Promise<string> {
  return waitFor(
    'the approver sign-in',
    async () => {
      const res = await fetch(`${base}/api/auth/devUser/refresh`, {
        headers: { 'x-aic-dev-user': 'marcus.bell' },
      });
      return res.ok
        ? (((await res.json()) as any).backstageIdentity.token as string)
        : undefined;
    },
    180_000,
    500,
  );
}

async function signIn(): Promise<string> {
  return waitFor(
    'the guest sign-in',
    async () => {
      const res = await fetch(`${base}/api/auth/guest/refresh`);
      return res.ok
        ? (((await res.json()) as any).backstageIdentity.token as string)
        : undefined;
    },
    180_000,
    500,
  );
}

async function ready(): Promise<string> {
  const token = await signIn();
  const auth = { headers: { Authorization: `Bearer ${token}` } };
  await waitFor(
    'the catalog and the marketplace index',
    async () => {
      // the request checks team membership as the marketplace sees it
      // (group membership it read from the catalog, reused for 5 s): wait
      // until the model's page shows the guest as a member of the team, not
      // only until the catalog does, or the first creates may be refused
      const model = await fetch(
        `${base}/api/model-marketplace/models/default/load-test-model`,
        auth,
      );
      if (!model.ok) {
        return undefined;
      }
      const { viewer } = (await model.json()) as {
        viewer?: { teams?: string[] };
      };
      return viewer?.teams?.includes('group:default/team-assistants')
        ? true
        : undefined;
    },
    180_000,
    500,
  );
  // sign in again now that the catalog knows the guest and their groups, so
  // that the token carries the groups as ownership claims
  return signIn();
}

/**
 * CPU seconds (user + system) a process has used so far, from
 * /proc/<pid>/stat; 0 where that cannot be read (the process is gone, or
 * this is not Linux). Counted in CPU time, the cost of a call does not
 * depend on how busy the machine is, unlike a rate.
 */
function cpuSeconds(pid: number | undefined): number {
  if (!pid) return 0;
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // the fields after the command name, which is in parentheses
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) / 100; // utime, stime
  } catch {
    return 0;
  }
}

/**
 * The PostgreSQL server processes serving the bench's databases (the
 * plugin's and the prefixed ones) and the CPU seconds each has used.
 */
async function postgresCpu(): Promise<Map<number, number>> {
  const admin = knexFactory({ client: 'pg', connection: `${pgUrl}/postgres` });
  try {
    const { rows } = await admin.raw(
      'SELECT pid FROM pg_stat_activity WHERE datname = ? OR starts_with(datname, ?)',
      [database, prefix],
    );
    return new Map(
      (rows as Array<{ pid: number }>).map(r => [r.pid, cpuSeconds(r.pid)]),
    );
  } finally {
    await admin.destroy();
  }
}

/** CPU seconds the PostgreSQL processes used between two readings. */
function postgresCpuBetween(
  before: Map<number, number>,
  after: Map<number, number>,
): number {
  let sum = 0;
  for (const [pid, seconds] of after) {
    sum += seconds - (before.get(pid) ?? 0);
  }
  return sum;
}

/** The client's (this process's) CPU seconds so far. */
function clientCpu(): number {
  const { user, system } = process.cpuUsage();
  return (user + system) / 1e6;
}

/** Rows still waiting in the outbox. */
async function outboxRows(): Promise<number> {
  const db = knexFactory({ client: 'pg', connection: `${pgUrl}/${database}` });
  try {
    return Number(
      (await db.raw('SELECT count(*) AS n FROM model_notification_outbox'))
        .rows[0].n,
    );
  } finally {
    await db.destroy();
  }
}

/** Transactions committed in the plugin's database so far. */
async function committedTransactions(): Promise<number> {
  const admin = knexFactory({ client: 'pg', connection: `${pgUrl}/postgres` });
  try {
    const { rows } = await admin.raw(
      'SELECT xact_commit FROM pg_stat_database WHERE datname = ?',
      [database],
    );
    return Number(rows[0]?.xact_commit ?? 0);
  } finally {
    await admin.destroy();
  }
}

async function main() {
  const admin = knexFactory({ client: 'pg', connection: `${pgUrl}/postgres` });
  const leftovers = await admin.raw(
    'SELECT datname FROM pg_database WHERE starts_with(datname, ?)',
    [prefix],
  );
  for (const { datname } of leftovers.rows as Array<{ datname: string }>) {
    await admin.raw(`DROP DATABASE IF EXISTS "${datname}" WITH (FORCE)`);
  }
  await admin.raw(`DROP DATABASE IF EXISTS "${database}" WITH (FORCE)`);
  await admin.raw(`CREATE DATABASE "${database}"`);
  await admin.destroy();

  const dir = mkdtempSync(join(tmpdir(), 'requests-load-'));
  const configFile = join(dir, 'config.yaml');
  const modelFile = join(dir, 'load-test-model.json');
  writeFileSync(modelFile, loadTestModel(total * 2));
  const pg = new URL(pgUrl);
  writeFileSync(
    configFile,
    [
      'backend:',
      `  baseUrl: ${base}`,
      '  listen:',
      `    port: ${port}`,
      '  database:',
      '    client: pg',
      `    prefix: ${prefix}`,
      '    connection:',
      `      host: ${pg.hostname}`,
      `      port: ${pg.port || 5432}`,
      `      user: ${pg.username || 'postgres'}`,
      ...(pg.password ? [`      password: ${pg.password}`] : []),
      '    plugin:',
      '      model-marketplace:',
      '        connection:',
      `          database: ${database}`,
      'catalog:',
      // the load-test model has a version per request (thousands): the
      // catalog re-reading it every two minutes is not the load measured
      '  processingInterval: { minutes: 30 }',
      '  locations:',
      '    - type: file',
      `      target: ${join(root, 'examples/org.yaml')}`,
      '      rules:',
      '        - allow: [User, Group]',
      '    - type: file',
      `      target: ${modelFile}`,
      'search:',
      '  collators:',
      '    catalog:',
      '      schedule:',
      '        frequency: { hours: 24 }',
      '        timeout: { minutes: 15 }',
      '        initialDelay: { hours: 24 }',
    ].join('\n'),
  );

  let backend = startBackend(configFile, {}, { nodeOptions });
  const acknowledged = new Set<string>();
  const approved = new Set<string>();
  let attempts = 0;
  let failures = 0;
  const failedCalls = new Map<string, number>();
  let gaveUp: Error | undefined;
  const fail = (what: string) => {
    if (process.env.BENCH_DEBUG) process.stderr.write(`failed: ${what}\n`);
    failures += 1;
    failedCalls.set(what, (failedCalls.get(what) ?? 0) + 1);
    // a failed call does not stop the clients (they try the next request);
    // so many failures that the run would never end stop it
    const unanswered = failedCalls.get('connection error') ?? 0;
    if ((failures - unanswered > total || unanswered > total) && !gaveUp) {
      gaveUp = new Error(
        `${failures} calls failed (${[...failedCalls]
          .map(([kind, n]) => `${kind}: ${n}`)
          .join(', ')}); run with BENCH_DEBUG=1 to see the answers`,
      );
    }
  };
  let killed = false;
  let restarting: Promise<string> | undefined;
  let token = '';
  let approverToken = '';
  try {
    token = await ready();
    approverToken = await signInApprover();
    process.stdout.write(
      `backend up; ${clients} clients create and approve ${total} requests\n`,
    );

    const commits = await committedTransactions();
    let activeMs = 0;
    let phaseStart = performance.now();
    let requestsSent = 0;
    // CPU seconds of the backend, PostgreSQL and this client while the
    // clients create and decide (the killed backend's counted up to the kill)
    let backendCpu = 0;
    let backendCpuStart = cpuSeconds(backend.pid);
    let postgresCpuStart = await postgresCpu();
    let postgresCpuUsed = 0;
    const clientCpuStart = clientCpu();

    const crash = async () => {
      activeMs += performance.now() - phaseStart;
      backendCpu += cpuSeconds(backend.pid) - backendCpuStart;
      postgresCpuUsed += postgresCpuBetween(
        postgresCpuStart,
        await postgresCpu(),
      );
      process.stdout.write(
        `SIGKILL after ${acknowledged.size} acknowledged requests; restarting\n`,
      );
      await stopBackend(backend, 'SIGKILL');
      backend = startBackend(configFile, {}, { nodeOptions });
      token = await ready();
      approverToken = await signInApprover();
      phaseStart = performance.now();
      backendCpuStart = cpuSeconds(backend.pid);
      postgresCpuStart = await postgresCpu();
      process.stdout.write('backend up again; clients continue\n');
      return token;
    };

    const client = async () => {
      while (acknowledged.size < total) {
        if (gaveUp) {
          throw gaveUp;
        }
        if (restarting) {
          await restarting;
        }
        attempts += 1;
        try {
          requestsSent += 1;
          const res = await fetch(`${base}/api/model-marketplace/requests`, {
            method: 'POST',
            headers: {
              Authorization: `Bearer ${token}`,
              'Content-Type': 'application/json',
            },
            body: JSON.stringify({
              model: 'load-test-model',
              version: `1.0.${attempts}`,
              team: 'team-assistants',
              purpose: `load ${attempts}`,
            }),
          });
          if (res.status !== 201) {
            fail(
              `create ${res.status}${
                process.env.BENCH_DEBUG ? ` ${await res.text()}` : ''
              }`,
            );
            continue;
          }
          const { id } = (await res.json()) as { id: string };
          acknowledged.add(id);
          if (!killed && acknowledged.size >= total / 2) {
            killed = true;
            restarting = crash().finally(() => {
              restarting = undefined;
            });
          }
          requestsSent += 1;
          const decided = await fetch(
            `${base}/api/model-marketplace/requests/${id}/decision`,
            {
              method: 'POST',
              headers: {
                Authorization: `Bearer ${approverToken}`,
                'Content-Type': 'application/json',
              },
              body: JSON.stringify({
                decision: 'approve',
                comment: 'load test',
              }),
            },
          );
          if (decided.status === 200) {
            approved.add(id);
          } else {
            fail(`decide ${decided.status}`);
          }
        } catch {
          fail('connection error'); // refused or reset while the backend is down
          if (!restarting) {
            await new Promise(r => setTimeout(r, 200));
          }
        }
      }
    };
    await Promise.all(Array.from({ length: clients }, client));
    activeMs += performance.now() - phaseStart;
    const workflowRps = requestsSent / (activeMs / 1000);
    backendCpu += cpuSeconds(backend.pid) - backendCpuStart;
    postgresCpuUsed += postgresCpuBetween(
      postgresCpuStart,
      await postgresCpu(),
    );
    const workflowClientCpu = clientCpu() - clientCpuStart;
    const unsentAtEnd = await outboxRows();

    // the notifications still in the outbox are sent afterwards: the
    // backend's CPU until the outbox is empty (or 5 minutes have passed)
    const drainCpuStart = cpuSeconds(backend.pid);
    const drainPostgresStart = await postgresCpu();
    const drainStart = performance.now();
    let unsentAfterDrain = unsentAtEnd;
    while (unsentAfterDrain > 0 && performance.now() - drainStart < 300_000) {
      await new Promise(r => setTimeout(r, 500));
      unsentAfterDrain = await outboxRows();
    }
    const drainMs = performance.now() - drainStart;
    const drainCpu = cpuSeconds(backend.pid) - drainCpuStart;
    const drainPostgresCpu = postgresCpuBetween(
      drainPostgresStart,
      await postgresCpu(),
    );
    // PostgreSQL publishes its statistics within a second or so
    await new Promise(r => setTimeout(r, 1500));
    const commitsPerCall =
      ((await committedTransactions()) - commits) / requestsSent;

    // the same concurrency against the cheapest endpoint, and against the
    // framework's part of an authenticated POST: a create that the router
    // refuses at request validation (400) after checking the user's token
    // and parsing the body, with none of the plugin's own work
    const sameLoad = async (call: () => Promise<Response>, status: number) => {
      let done = 0;
      const backendStart = cpuSeconds(backend.pid);
      const postgresStart = await postgresCpu();
      const clientStart = clientCpu();
      const start = performance.now();
      await Promise.all(
        Array.from({ length: clients }, async () => {
          while (done < total * 2) {
            done += 1;
            const res = await call();
            const text = await res.text();
            if (res.status !== status) {
              throw new Error(
                `expected ${status}, got ${res.status}: ${text.slice(0, 200)}`,
              );
            }
          }
        }),
      );
      return {
        done,
        rps: done / ((performance.now() - start) / 1000),
        backendCpu: cpuSeconds(backend.pid) - backendStart,
        clientCpu: clientCpu() - clientStart,
        postgresCpu: postgresCpuBetween(postgresStart, await postgresCpu()),
      };
    };
    const health = await sameLoad(
      () => fetch(`${base}/api/model-marketplace/health`),
      200,
    );
    const healthRps = health.rps;
    const floor = await sameLoad(
      () =>
        fetch(`${base}/api/model-marketplace/requests`, {
          method: 'POST',
          headers: {
            Authorization: `Bearer ${token}`,
            'Content-Type': 'application/json',
          },
          body: JSON.stringify({ model: 'load-test-model', version: 1 }),
        }),
      400,
    );
    const perCallMs = (seconds: number, calls: number) =>
      ((1000 * seconds) / calls).toFixed(2);

    // verify in the database
    const db = knexFactory({
      client: 'pg',
      connection: `${pgUrl}/${database}`,
    });
    const ids = [...acknowledged];
    const rows: Array<{ id: string; status: string; created: string }> = (
      await db.raw(
        'SELECT id, status, (SELECT count(*) FROM model_request_events e WHERE e.request_id = r.id AND e.action = ?) AS created FROM model_requests r WHERE id = ANY(?)',
        ['created', ids],
      )
    ).rows;
    const found = new Map(rows.map(r => [r.id, r]));
    const missing = ids.filter(id => !found.has(id));
    const duplicatedTimelines = rows.filter(
      r => Number(r.created) !== 1,
    ).length;
    const lostApprovals = [...approved].filter(
      id => found.get(id)?.status !== 'approved',
    ).length;
    const inDb = Number(
      (await db.raw('SELECT count(*) AS n FROM model_requests')).rows[0].n,
    );
    await db.destroy();

    process.stdout.write(
      `\nRequests load on PostgreSQL (${clients} clients, SIGKILL mid-run)\n`,
    );
    process.stdout.write('                               | value\n');
    process.stdout.write(
      `acknowledged requests (201)    | ${acknowledged.size}\n`,
    );
    process.stdout.write(`acknowledged approvals (200)   | ${approved.size}\n`);
    process.stdout.write(
      `rows in model_requests         | ${inDb} (includes requests created but not acknowledged before the kill)\n`,
    );
    process.stdout.write(
      `acknowledged but missing       | ${missing.length}\n`,
    );
    process.stdout.write(
      `timelines without exactly one creation | ${duplicatedTimelines}\n`,
    );
    process.stdout.write(`acknowledged approvals lost    | ${lostApprovals}\n`);
    process.stdout.write(
      `failed calls (incl. during kill) | ${failures} (${[...failedCalls]
        .map(([what, n]) => `${what}: ${n}`)
        .join(', ')})\n`,
    );
    process.stdout.write(
      `notifications not yet sent     | ${unsentAtEnd} when the clients finished (stored in the outbox; sent after the answers); ${unsentAfterDrain} left ${(
        drainMs / 1000
      ).toFixed(1)} s later\n`,
    );
    process.stdout.write(
      `commits per create or decide   | ${commitsPerCall.toFixed(
        2,
      )} (transactions of the plugin's database, reads included)\n`,
    );
    process.stdout.write(
      `create+decide throughput       | ${workflowRps.toFixed(0)} req/s\n`,
    );
    process.stdout.write(
      `GET /health throughput         | ${healthRps.toFixed(0)} req/s\n`,
    );
    process.stdout.write(
      `create+decide / health         | ${(
        (100 * workflowRps) /
        healthRps
      ).toFixed(0)}% (target at least 50%)\n`,
    );
    process.stdout.write(
      `create refused at validation   | ${floor.rps.toFixed(0)} req/s, ${(
        (100 * floor.rps) /
        healthRps
      ).toFixed(
        0,
      )}% of health (400 after the token check and request validation: the framework's part of a create, no plugin work)\n`,
    );
    process.stdout.write(
      `\nCPU per call (ms of CPU time, user + system; does not depend on the load)\n`,
    );
    process.stdout.write(
      `                               | backend | PostgreSQL | client\n`,
    );
    process.stdout.write(
      `create or decide               | ${perCallMs(
        backendCpu,
        requestsSent,
      )} | ${perCallMs(postgresCpuUsed, requestsSent)} | ${perCallMs(
        workflowClientCpu,
        requestsSent,
      )}\n`,
    );
    process.stdout.write(
      `  + notifications sent after   | ${perCallMs(
        backendCpu + drainCpu,
        requestsSent,
      )} | ${perCallMs(
        postgresCpuUsed + drainPostgresCpu,
        requestsSent,
      )} | (the outbox's ${
        unsentAtEnd - unsentAfterDrain
      } rows left at the end, sent in ${(drainMs / 1000).toFixed(1)} s)\n`,
    );
    for (const [what, phase] of [
      ['GET /health                   ', health],
      ['create refused at validation  ', floor],
    ] as const) {
      process.stdout.write(
        `${what} | ${perCallMs(phase.backendCpu, phase.done)} | ${perCallMs(
          phase.postgresCpu,
          phase.done,
        )} | ${perCallMs(phase.clientCpu, phase.done)}\n`,
      );
    }
    process.stdout.write(
      `load average (1, 5, 15 min)    | ${loadavg()
        .map(l => l.toFixed(1))
        .join(', ')} on ${availableParallelism()} cores\n`,
    );
    if (missing.length || duplicatedTimelines || lostApprovals) {
      process.exitCode = 1;
    }
  } finally {
    await stopBackend(backend, 'SIGTERM');
    rmSync(dir, { recursive: true, force: true });
  }
}

main().catch(error => {
  process.stderr.write(`${error?.stack ?? error}\n`);
  process.exit(1);
});
