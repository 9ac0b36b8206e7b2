/*
 * Browse benchmark: the marketplace's `GET /api/model-marketplace/models`
 * against the catalog's own way of getting the same page and facet counts
 * (`/api/catalog/entities/by-query` with a full-text filter, plus
 * `/api/catalog/entity-facets`), at N = 1,000 and 10,000 generated Model
 * entities in the catalog of a real backend.
 *
 * For each N it writes the models to temp YAML files of 1,000 each, starts
 * the backend (packages/backend, without file watching) on port 7107 with
 * those files as catalog locations, waits until the catalog and the index
 * hold all N models, signs in as the guest, runs 10 warm-up rounds and
 * BENCH_ROUNDS (default 150) measured rounds (p50/p95 of both, the ratio),
 * then as many rounds of the marketplace's call alone (p50/p95).
 *
 * Then, still at N, the time a catalog change takes to show in browse (a
 * changed title, an added model, a deleted model; bench/lib/propagation.ts),
 * on two models kept in a small catalog file of their own beside the N - 2
 * others. If the backend exits meanwhile, the cause is printed and that
 * measurement is tried once more on a fresh backend (output: BENCH_BACKEND_LOG).
 * Before starting the backend it builds the index in this process from the
 * same N models to measure the heap it keeps (bench/lib/indexMemory.ts); after
 * stopping it, it starts the backend again with the same N as Components and
 * times the catalog's ingestion of those, for the Model/Component ratio; then
 * once more with Components that also carry each Model's spec fields (as much
 * data per entity), which separates what the Model kind costs from what the
 * catalog pays for more fields.
 *
 * N=100,000 is not in the default run (`BENCH_SIZES=100000
 * BENCH_DATABASE=pg yarn bench browse`; in a run of every benchmark,
 * `BROWSE_SIZES=1000,10000,100000 BENCH_DATABASE=pg yarn bench`, since
 * BENCH_SIZES also sets the MCP benchmark's). BENCH_DATABASE=pg runs every
 * backend, Models and Components alike, on a fresh PostgreSQL database
 * (bench/lib/benchDatabase.ts). The report ends with each figure beside its
 * target, the database and the load averages.
 *
 * Environment: BROWSE_SIZES or BENCH_SIZES (default "1000,10000"),
 * BENCH_ROUNDS, BENCH_PORT,
 * BENCH_COMPONENTS=0 (no Components), BENCH_FULL_COMPONENTS=0 (no
 * Components with the Models' fields), BENCH_DATABASE (sqlite, pg), BENCH_PG,
 * BENCH_PG_DATABASE, BENCH_FILE_SIZE (entities per catalog file, 1,000).
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import type { ChildProcess } from 'node:child_process';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  assertRunning,
  percentile,
  signIn,
  startBackend,
  stopBackend,
  waitFor,
} from './lib/backendProcess';
import {
  asComponents,
  asComponentsWithModelFields,
  GeneratedEntity,
  generateModels,
  QUERIES,
  toCatalogFile,
} from './lib/generatedModels';
import { measureIndexMemory } from './lib/indexMemory';
import { BrowseRow as Row, printBrowseReport } from './lib/browseReport';
import { measurePropagation, Propagation } from './lib/propagation';
import { benchDatabase } from './lib/benchDatabase';
import { configFor, writeCatalogFiles } from './lib/browseBackendConfig';

const port = Number(process.env.BENCH_PORT ?? 7107);
const base = `http://localhost:${port}`;
// BROWSE_SIZES sets this benchmark's sizes alone in a run of every benchmark
const sizes = (
  process.env.BROWSE_SIZES ??
  process.env.BENCH_SIZES ??
  '1000,10000'
)
  .split(',')
  .map(Number);
const rounds = Number(process.env.BENCH_ROUNDS ?? 150);
const components = process.env.BENCH_COMPONENTS !== '0';
/** Components with the Models' spec fields too (BENCH_FULL_COMPONENTS=0: not). */
const fullComponents = process.env.BENCH_FULL_COMPONENTS !== '0';
const database = benchDatabase();
/** Entities per catalog file (a location each). */
const FILE_SIZE = Number(process.env.BENCH_FILE_SIZE ?? 1000);

async function timed(url: string, token: string) {
  const start = performance.now();
  const res = await fetch(url, {
    headers: { Authorization: `Bearer ${token}` },
  });
  const text = await res.text();
  const ms = performance.now() - start;
  if (!res.ok) {
    throw new Error(`${url} answered ${res.status}: ${text.slice(0, 200)}`);
  }
  return {
    ms,
    bytes: Buffer.byteLength(text),
    compactBytes: Buffer.byteLength(JSON.stringify(JSON.parse(text))),
  };
}

/**
 * Seconds from the backend answering until the catalog counts n entities of
 * `kind`. The count is asked for every 2% of the time waited so far (at
 * least every 0.5 s, at most every 10 s): each answer counts the whole
 * catalog, which at 100k entities is work enough to slow the ingestion it
 * measures.
 */
async function catalogIngestion(
  n: number,
  kind: string,
  token: string,
  backend: ChildProcess,
) {
  const started = Date.now();
  let nextAsk = started;
  await waitFor(
    `${n} ${kind} entities in the catalog`,
    async () => {
      assertRunning(backend);
      const now = Date.now();
      if (now < nextAsk) {
        return undefined;
      }
      nextAsk = now + Math.min(Math.max((now - started) / 50, 500), 10_000);
      const res = await fetch(
        `${base}/api/catalog/entities/by-query?filter=kind=${kind}&limit=1&fields=metadata.uid`,
        { headers: { Authorization: `Bearer ${token}` } },
      );
      const body = (await res.json()) as { totalItems: number };
      return body.totalItems >= n ? true : undefined;
    },
    3 * 60 * 60_000,
    250,
  );
  return (Date.now() - started) / 1000;
}

/**
 * The same n entities as Components: the catalog's ingestion time of
 * built-in entities; with `modelFields`, Components that also carry every
 * spec field of their Model (as much data per entity).
 */
async function componentIngestion(n: number, dir: string, modelFields = false) {
  const models = generateModels(n);
  const files = writeCatalogFiles(
    dir,
    `${modelFields ? 'full-components' : 'components'}-${n}`,
    modelFields ? asComponentsWithModelFields(models) : asComponents(models),
    FILE_SIZE,
  );
  process.stdout.write(
    `N=${n}: the same number of Components${
      modelFields ? " with the Models' spec fields" : ''
    }...\n`,
  );
  await database.fresh();
  const backend = startBackend(
    configFor({ n, dir, files, kind: 'Component', port, database }),
  );
  try {
    const token = await waitFor(
      'the guest sign-in',
      () => (assertRunning(backend), signIn(base)),
      180_000,
      200,
    );
    return await catalogIngestion(n, 'component', token, backend);
  } finally {
    await stopBackend(backend);
  }
}

/**
 * Starts the backend with the N models and waits until the catalog and the
 * marketplace index hold all of them; fails at once if the backend exits.
 */
async function startWithModels(n: number, configFile: string) {
  process.stdout.write(`N=${n}: starting the backend on port ${port}...\n`);
  const backend = startBackend(configFile);
  try {
    const token = await waitFor(
      'the guest sign-in',
      () => (assertRunning(backend), signIn(base)),
      180_000,
      200,
    );
    const auth = { headers: { Authorization: `Bearer ${token}` } };
    const started = Date.now();
    const catalogIngestS = await catalogIngestion(n, 'model', token, backend);
    await waitFor(
      `${n} models in the marketplace index`,
      async () => {
        assertRunning(backend);
        const mp = (await (
          await fetch(`${base}/api/model-marketplace/models?limit=1`, auth)
        ).json()) as any;
        return mp.totalItems >= n ? true : undefined;
      },
      3 * 60 * 60_000,
      200,
    );
    const indexIngestS = (Date.now() - started) / 1000;
    process.stdout.write(
      `N=${n}: catalog ingested in ${catalogIngestS.toFixed(
        0,
      )} s, the index in ${indexIngestS.toFixed(0)} s\n`,
    );
    return { backend, catalogIngestS, indexIngestS };
  } catch (error) {
    await stopBackend(backend);
    throw error;
  }
}

/**
 * The propagation measurement, tried a second time on a fresh backend when
 * the first one exited under it (the cause is printed; the backend's output
 * is in BENCH_BACKEND_LOG).
 */
async function propagationWithRetry(
  n: number,
  running: { backend: ChildProcess },
  configFile: string,
  changesFile: string,
  changing: GeneratedEntity[],
): Promise<Propagation> {
  for (let attempt = 1; ; attempt++) {
    const { backend } = running;
    try {
      return await measurePropagation({
        base,
        token: (await signIn(base))!,
        file: changesFile,
        models: changing,
        alive: () => assertRunning(backend),
      });
    } catch (error) {
      const dead = backend.exitCode !== null || backend.signalCode !== null;
      if (!dead || attempt > 1) {
        throw error;
      }
      process.stdout.write(
        `N=${n}: propagation attempt ${attempt} failed: ${error}; the backend's output is in ${process.env.BENCH_BACKEND_LOG}. Restarting it...\n`,
      );
      writeFileSync(changesFile, toCatalogFile(changing));
      running.backend = (await startWithModels(n, configFile)).backend;
    }
  }
}

async function benchmark(n: number, dir: string): Promise<Row> {
  const models = generateModels(n);
  const memory = await measureIndexMemory(models);
  // the two models the propagation measurement changes and deletes sit in a
  // small file of their own, as entities of a repository would: a refresh
  // re-reads that file, not all N models
  const changing = models
    .filter(m => m.spec.owner === 'team-assistants')
    .slice(0, 2);
  const modelFiles = writeCatalogFiles(
    dir,
    `models-${n}`,
    models.filter(m => !changing.includes(m)),
    FILE_SIZE,
  );
  const changesFile = join(dir, `changes-${n}.yaml`);
  writeFileSync(changesFile, toCatalogFile(changing));
  const configFile = configFor({
    n,
    dir,
    files: [...modelFiles, changesFile],
    kind: 'Model',
    port,
    database,
  });
  await database.fresh();
  const running = await startWithModels(n, configFile);
  const { catalogIngestS, indexIngestS } = running;
  try {
    // signed in now that the catalog knows the guest's groups (ownership claims)
    const token = (await signIn(base))!;

    const facetFields = [
      'spec.type',
      'spec.task',
      'spec.license',
      'spec.owner',
      'spec.lifecycle',
      'spec.framework',
      'metadata.tags',
    ];
    const mpUrl = (q: string) =>
      `${base}/api/model-marketplace/models?${new URLSearchParams([
        ['q', q],
        ['type', 'llm'],
        ['type', 'embedding'],
        ['lifecycle', 'production'],
      ])}`;
    const catUrls = (q: string) => {
      const filter =
        'kind=model,spec.type=llm,spec.type=embedding,spec.lifecycle=production';
      return [
        `${base}/api/catalog/entities/by-query?${new URLSearchParams([
          ['fullTextFilterTerm', q],
          ['filter', filter],
          ['limit', '24'],
        ])}`,
        `${base}/api/catalog/entity-facets?${new URLSearchParams([
          ...facetFields.map(f => ['facet', f]),
          ['filter', filter],
        ])}`,
      ];
    };

    const mpTimes: number[] = [];
    const catTimes: number[] = [];
    let mpBytes = 0;
    let catBytes = 0;
    for (let round = -10; round < rounds; round++) {
      const q = QUERIES[(round + 10) % QUERIES.length];
      const mp = await timed(mpUrl(q), token);
      let cat = 0;
      let bytes = 0;
      for (const url of catUrls(q)) {
        const r = await timed(url, token);
        cat += r.ms;
        bytes += r.compactBytes;
      }
      if (round >= 0) {
        mpTimes.push(mp.ms);
        catTimes.push(cat);
        mpBytes = Math.max(mpBytes, mp.compactBytes);
        catBytes = Math.max(catBytes, bytes);
      }
    }
    // the same calls again with none of the catalog's in between: what a
    // browse costs when the backend is not just out of a catalog query that
    // held it for seconds (8-16 s each at 100,000 models)
    const aloneTimes: number[] = [];
    for (let round = 0; round < rounds; round++) {
      const q = QUERIES[round % QUERIES.length];
      aloneTimes.push((await timed(mpUrl(q), token)).ms);
    }
    // the first page without a query: the size target
    const firstPage = await timed(
      `${base}/api/model-marketplace/models`,
      token,
    );
    process.stdout.write(`N=${n}: change propagation...\n`);
    const propagation = await propagationWithRetry(
      n,
      running,
      configFile,
      changesFile,
      changing,
    );
    process.stdout.write(
      `N=${n}: change in browse after ${propagation.changeMs.toFixed(
        0,
      )} ms (catalog served it after ${propagation.changeCatalogMs.toFixed(
        0,
      )} ms), addition ${propagation.addMs.toFixed(
        0,
      )} ms (catalog ${propagation.addCatalogMs.toFixed(0)} ms), deletion ${
        propagation.removeMs?.toFixed(0) ?? 'not measured'
      } ms\n`,
    );
    return {
      n,
      mpP50: percentile(mpTimes, 50),
      mpP95: percentile(mpTimes, 95),
      mpAloneP50: percentile(aloneTimes, 50),
      mpAloneP95: percentile(aloneTimes, 95),
      catP50: percentile(catTimes, 50),
      catP95: percentile(catTimes, 95),
      mpBytes,
      catBytes,
      firstPageBytes: firstPage.compactBytes,
      catalogIngestS,
      indexIngestS,
      indexMb: memory.bytes / 2 ** 20,
      indexBuildMs: memory.buildMs,
      propagation,
    };
  } finally {
    await stopBackend(running.backend);
  }
}

async function main() {
  const dir = mkdtempSync(join(tmpdir(), 'browse-bench-'));
  // the backend's output outlives the temp folder: a failure can be read
  process.env.BENCH_BACKEND_LOG ??= join(
    tmpdir(),
    `browse-bench-backend-${port}.log`,
  );
  const load = () =>
    loadavg()
      .map(l => l.toFixed(2))
      .join(' ');
  const startedAt = Date.now();
  const startLoad = load();
  process.stdout.write(
    `Backend output: ${process.env.BENCH_BACKEND_LOG}; database: ${
      database.describe
    }; ${availableParallelism()} CPUs, load average ${startLoad}\n`,
  );
  const rows: Row[] = [];
  try {
    for (const n of sizes) {
      const row = await benchmark(n, dir);
      if (components) {
        row.componentIngestS = await componentIngestion(n, dir);
        if (fullComponents) {
          row.fullComponentIngestS = await componentIngestion(n, dir, true);
        }
      }
      rows.push(row);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  printBrowseReport(rows, rounds);
  process.stdout.write(
    `\nDatabase: ${database.describe}. Took ${(
      (Date.now() - startedAt) /
      60_000
    ).toFixed(
      1,
    )} min; load average (1, 5, 15 min) ${startLoad} at the start, ${load()} at the end.\n`,
  );
}

main().catch(error => {
  process.stderr.write(`${error?.stack ?? error}\n`);
  process.exit(1);
});
