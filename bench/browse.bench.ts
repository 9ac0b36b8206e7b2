/*
 * Browse benchmark: the marketplace's `GET /api/model-marketplace/models`
 * against the catalog's own way of getting the same page and facet counts
 * (`/api/catalog/entities/by-query` with a full-text filter, plus
 * `/api/catalog/entity-facets`), at N = 1,000 and 10,000 generated Model
 * entities in the catalog of a real backend.
 *
 * For each N it writes the models to a temp YAML file, starts the backend
 * (packages/backend, without file watching) on port 7107 with that file as a
 * catalog location, waits until the catalog and the marketplace index hold
 * all N models, signs in as the guest user, runs 10 warm-up rounds and then
 * BENCH_ROUNDS (default 150) measured rounds, one request of each kind per
 * round, and stops the backend. Prints p50/p95 of both, the ratio and the
 * response sizes.
 *
 * Environment: BENCH_SIZES (default "1000,10000"), BENCH_ROUNDS, BENCH_PORT.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  percentile,
  root,
  startBackend,
  stopBackend,
  waitFor,
} from './lib/backendProcess';
import { QUERIES, generateModels } from './lib/generateModels';

const port = Number(process.env.BENCH_PORT ?? 7107);
const base = `http://localhost:${port}`;
const sizes = (process.env.BENCH_SIZES ?? '1000,10000').split(',').map(Number);
const rounds = Number(process.env.BENCH_ROUNDS ?? 150);

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

type Row = {
  n: number;
  mpP50: number;
  mpP95: number;
  catP50: number;
  catP95: number;
  mpBytes: number;
  catBytes: number;
};

async function benchmark(n: number, dir: string): Promise<Row> {
  const modelsFile = join(dir, `models-${n}.yaml`);
  writeFileSync(modelsFile, generateModels(n));
  const configFile = join(dir, `config-${n}.yaml`);
  writeFileSync(
    configFile,
    [
      'backend:',
      `  baseUrl: ${base}`,
      '  listen:',
      `    port: ${port}`,
      'catalog:',
      '  processingInterval: { minutes: 30 }',
      '  locations:',
      '    - type: file',
      `      target: ${join(root, 'examples/org.yaml')}`,
      '      rules:',
      '        - allow: [User, Group]',
      '    - type: file',
      `      target: ${modelsFile}`,
      '      rules:',
      '        - allow: [Model]',
      'modelMarketplace:',
      '  index:',
      '    refreshInterval: { seconds: 5 }',
      'search:',
      '  collators:',
      '    catalog:',
      '      schedule:',
      '        frequency: { hours: 24 }',
      '        timeout: { minutes: 15 }',
      '        initialDelay: { hours: 24 }',
    ].join('\n'),
  );
  process.stdout.write(`N=${n}: starting the backend on port ${port}...\n`);
  const backend = startBackend(configFile);
  try {
    const token = await waitFor(
      'the guest sign-in',
      async () => {
        const res = await fetch(`${base}/api/auth/guest/refresh`);
        return res.ok
          ? (((await res.json()) as any).backstageIdentity.token as string)
          : undefined;
      },
      180_000,
    );
    const auth = { headers: { Authorization: `Bearer ${token}` } };
    const started = Date.now();
    await waitFor(
      `${n} models in the catalog and the marketplace index`,
      async () => {
        const cat = (await (
          await fetch(
            `${base}/api/catalog/entities/by-query?filter=kind=model&limit=1`,
            auth,
          )
        ).json()) as any;
        const mp = (await (
          await fetch(`${base}/api/model-marketplace/models?limit=1`, auth)
        ).json()) as any;
        return cat.totalItems >= n && mp.totalItems >= n ? true : undefined;
      },
      30 * 60_000,
    );
    process.stdout.write(
      `N=${n}: ingested in ${Math.round(
        (Date.now() - started) / 1000,
      )} s; measuring...\n`,
    );

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
    // the first page without a query: the size target
    const firstPage = await timed(
      `${base}/api/model-marketplace/models`,
      token,
    );
    mpBytes = Math.max(mpBytes, firstPage.compactBytes);
    return {
      n,
      mpP50: percentile(mpTimes, 50),
      mpP95: percentile(mpTimes, 95),
      catP50: percentile(catTimes, 50),
      catP95: percentile(catTimes, 95),
      mpBytes,
      catBytes,
    };
  } finally {
    await stopBackend(backend);
  }
}

async function main() {
  const dir = mkdtempSync(join(tmpdir(), 'browse-bench-'));
  const rows: Row[] = [];
  try {
    for (const n of sizes) {
      rows.push(await benchmark(n, dir));
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  const f = (ms: number) => ms.toFixed(1).padStart(8);
  const kb = (b: number) => `${(b / 1024).toFixed(1)} KB`.padStart(10);
  process.stdout.write(
    `\nBrowse: q + 2 facet filters + facets, ${rounds} rounds (ms; sizes are the largest compact JSON body)\n`,
  );
  process.stdout.write(
    '     N | market p50 | market p95 | catalog p50 | catalog p95 | p95 ratio | market size | catalog size\n',
  );
  for (const r of rows) {
    process.stdout.write(
      `${String(r.n).padStart(6)} | ${f(r.mpP50)}   | ${f(r.mpP95)}   | ${f(
        r.catP50,
      )}    | ${f(r.catP95)}    | ${(r.catP95 / r.mpP95)
        .toFixed(1)
        .padStart(8)}x | ${kb(r.mpBytes)}  | ${kb(r.catBytes)}\n`,
    );
  }
}

main().catch(error => {
  process.stderr.write(`${error?.stack ?? error}\n`);
  process.exit(1);
});
