/*
 * The marketplace index's search on its own, in this process, at N models
 * (BENCH_INDEX_SIZES, default "100000"): the CPU time of the browse query
 * the HTTP benchmark sends (`q` + `type=llm&type=embedding` +
 * `lifecycle=production` + all facets, first page of 24) and of its JSON
 * serialisation, over BENCH_ROUNDS (default 200) rounds after 20 warm-up
 * rounds; also a query with a typo (the fuzzy fallback) and the first page
 * without a query. Prints p50/p95, the heap the index keeps and the load
 * average, since the machine may be shared. Then, per N, the time one
 * changed model takes to reach the index (p50 of 20, each applied on its
 * own), the search p95 once 1,000 changed models wait in the overlay, and
 * the compaction that packs them.
 *
 * `yarn bench search-index`; for a CPU profile run this file with
 * `node --cpu-prof --require @backstage/cli/config/nodeTransform.cjs
 * --expose-gc bench/search-index.bench.ts`.
 */
import { loadavg } from 'node:os';
import type { ModelEntity } from '@aic/plugin-model-marketplace-common';
import type {
  ModelIndex,
  ModelIndexQuery,
} from '../plugins/model-marketplace-backend/src/index/ModelIndex';
import { percentile } from './lib/backendProcess';
import { generateModels, QUERIES } from './lib/generatedModels';
import { buildIndex } from './lib/indexMemory';

const sizes = (process.env.BENCH_INDEX_SIZES ?? '100000')
  .split(',')
  .map(Number);
const rounds = Number(process.env.BENCH_ROUNDS ?? 200);

/** A model of the index with a new description and etag, as the catalog would serve it. */
function changed(index: ModelIndex, i: number, round: number): ModelEntity {
  const { entity } = index.all()[i];
  return {
    ...entity,
    metadata: {
      ...entity.metadata,
      description: `${entity.metadata.description ?? ''} changed ${round}`,
      etag: `changed-${round}-${i}`,
    },
  };
}

const browse = (q?: string): ModelIndexQuery => ({
  q,
  filters: q ? { type: ['llm', 'embedding'], lifecycle: ['production'] } : {},
  sort: q ? 'relevance' : 'name',
  offset: 0,
  limit: 24,
});

async function main() {
  const load = () =>
    loadavg()
      .map(l => l.toFixed(2))
      .join(' ');
  process.stdout.write(`load average before: ${load()}\n`);
  process.stdout.write(
    '     N | index heap | build | search p50 | search p95 | +JSON p95 | typo p95 | first page\n',
  );
  for (const n of sizes) {
    const { index, bytes, buildMs } = await buildIndex(generateModels(n));
    const time = (query: ModelIndexQuery, json: boolean) => {
      const start = performance.now();
      const result = index.search(query);
      const size = json ? Buffer.byteLength(JSON.stringify(result)) : 0;
      return { ms: performance.now() - start, size };
    };
    const searchMs: number[] = [];
    const jsonMs: number[] = [];
    const typoMs: number[] = [];
    for (let round = -20; round < rounds; round++) {
      const q = QUERIES[(round + 20) % QUERIES.length];
      const plain = time(browse(q), false).ms;
      const withJson = time(browse(q), true).ms;
      // a swap of two letters in the middle of the query's first word
      const word = q.split(' ')[0];
      const mid = word.length >> 1;
      const typo = `${word.slice(0, mid - 1)}${word[mid]}${
        word[mid - 1]
      }${word.slice(mid + 1)}`;
      const typoTime = time(browse(typo), false).ms;
      if (round >= 0) {
        searchMs.push(plain);
        jsonMs.push(withJson);
        typoMs.push(typoTime);
      }
    }
    const firstPage = time(browse(), true).size;
    const f = (ms: number) => `${ms.toFixed(1)} ms`.padStart(10);
    process.stdout.write(
      `${String(n).padStart(6)} | ${`${(bytes / 2 ** 20).toFixed(
        1,
      )} MB`.padStart(10)} | ${`${(buildMs / 1000).toFixed(1)} s`.padStart(
        5,
      )} | ${f(percentile(searchMs, 50))} | ${f(
        percentile(searchMs, 95),
      )} | ${f(percentile(jsonMs, 95))} | ${f(percentile(typoMs, 95))} | ${(
        firstPage / 1024
      ).toFixed(1)} KB\n`,
    );

    const changeMs: number[] = [];
    for (let round = 0; round < 20; round++) {
      const model = changed(index, (round * 7919) % n, round);
      const start = performance.now();
      index.applyChanges([model], []);
      changeMs.push(performance.now() - start);
    }
    for (let round = 20; round < 1000; round += 100) {
      const batch = Array.from({ length: 100 }, (_, k) =>
        changed(index, ((round + k) * 7919) % n, round),
      );
      index.applyChanges(batch, []);
    }
    const overlay = index.overlaySize;
    const overlaidMs: number[] = [];
    for (let round = 0; round < rounds; round++) {
      overlaidMs.push(time(browse(QUERIES[round % QUERIES.length]), false).ms);
    }
    const compactStart = performance.now();
    index.compact();
    const compactMs = performance.now() - compactStart;
    process.stdout.write(
      `${String(n).padStart(6)} | one change: ${percentile(
        changeMs,
        50,
      ).toFixed(
        1,
      )} ms p50 | search p95 with ${overlay} in the overlay: ${percentile(
        overlaidMs,
        95,
      ).toFixed(1)} ms | compaction ${compactMs.toFixed(0)} ms\n`,
    );
  }
  process.stdout.write(`load average after: ${load()}\n`);
}

main().catch(error => {
  process.stderr.write(`${error?.stack ?? error}\n`);
  process.exit(1);
});
