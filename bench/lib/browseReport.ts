/*
 * The browse benchmark's tables: latency against the catalog's way, then
 * index size, ingestion and change propagation, each figure beside its
 * target.
 */
import type { Propagation } from './propagation';

export type BrowseRow = {
  n: number;
  mpP50: number;
  mpP95: number;
  /** The marketplace's calls again, with none of the catalog's in between. */
  mpAloneP50: number;
  mpAloneP95: number;
  catP50: number;
  catP95: number;
  mpBytes: number;
  catBytes: number;
  firstPageBytes: number;
  catalogIngestS: number;
  indexIngestS: number;
  componentIngestS?: number;
  /** The same N as Components with the Models' spec fields too. */
  fullComponentIngestS?: number;
  indexMb: number;
  indexBuildMs: number;
  propagation: Propagation;
};

type Check = { figure: string; target: string; met?: boolean };

/**
 * The ratios of a row, computed once for both the tables and the checks:
 * the catalog's p95 over browse's, and the Models' ingestion time over each
 * Component ingestion's (undefined where that ingestion was not run).
 */
function ratios(r: BrowseRow) {
  const over = (s?: number) => (s ? r.catalogIngestS / s : undefined);
  return {
    p95: r.catP95 / r.mpP95,
    modelComponent: over(r.componentIngestS),
    modelFullComponent: over(r.fullComponentIngestS),
  };
}

/** Each figure of a row beside its target (targets of issue 12), met or not. */
export function targetChecks(r: BrowseRow): Check[] {
  const ratio = ratios(r);
  const checks: Check[] = [
    {
      figure: `browse p95 ${r.mpP95.toFixed(1)} ms`,
      target: '< 50 ms',
      met: r.mpP95 < 50,
    },
    {
      figure: `browse p95 ${r.mpAloneP95.toFixed(
        1,
      )} ms with no catalog query in between`,
      target: '< 50 ms',
      met: r.mpAloneP95 < 50,
    },
    {
      figure: `catalog by-query + facets p95 / browse p95 ${ratio.p95.toFixed(
        1,
      )}x`,
      target: '>= 20x',
      met: ratio.p95 >= 20,
    },
    {
      figure: `index heap ${r.indexMb.toFixed(1)} MB`,
      target: '<= 400 MB',
      met: r.indexMb <= 400,
    },
    {
      figure: `first page ${(r.firstPageBytes / 1024).toFixed(1)} KB`,
      target: '< 30 KB',
      met: r.firstPageBytes < 30 * 1024,
    },
    {
      figure: `catalog ingestion ${r.catalogIngestS.toFixed(
        0,
      )} s, index ${r.indexIngestS.toFixed(0)} s`,
      target: 'reported',
    },
  ];
  const mc = ratio.modelComponent;
  if (mc !== undefined) {
    checks.push({
      figure: `Model/Component ingestion ${mc.toFixed(
        2,
      )} (${r.catalogIngestS.toFixed(0)} s / ${r.componentIngestS?.toFixed(
        0,
      )} s)`,
      target: '<= 1.15',
      met: mc <= 1.15,
    });
  }
  const mf = ratio.modelFullComponent;
  if (mf !== undefined) {
    checks.push({
      figure: `Model / Component with the Model's fields ${mf.toFixed(
        2,
      )} (${r.catalogIngestS.toFixed(0)} s / ${r.fullComponentIngestS?.toFixed(
        0,
      )} s): what the Model kind itself costs`,
      target: 'reported',
    });
  }
  const p = r.propagation;
  checks.push(
    {
      figure: `change in browse ${(p.changeMs / 1000).toFixed(2)} s`,
      target: '< 5 s',
      met: p.changeMs < 5000,
    },
    {
      figure: `addition in browse ${(p.addMs / 1000).toFixed(2)} s`,
      target: '< 5 s',
      met: p.addMs < 5000,
    },
    p.removeMs === undefined
      ? { figure: 'deletion not measured', target: '< 5 s' }
      : {
          figure: `deletion in browse ${(p.removeMs / 1000).toFixed(2)} s`,
          target: '< 5 s',
          met: p.removeMs < 5000,
        },
  );
  return checks;
}

/** Prints both tables for the measured sizes, then each figure beside its target. */
export function printBrowseReport(rows: BrowseRow[], rounds: number) {
  const f = (ms: number) => ms.toFixed(1).padStart(8);
  const kb = (b: number) => `${(b / 1024).toFixed(1)} KB`.padStart(10);
  process.stdout.write(
    `\nBrowse: q + 2 facet filters + facets, ${rounds} rounds (ms; sizes are the largest compact JSON body)\n`,
  );
  process.stdout.write(
    '     N | market p50 | market p95 | catalog p50 | catalog p95 | p95 ratio | market size | catalog size | market alone p50 | market alone p95\n',
  );
  for (const r of rows) {
    process.stdout.write(
      `${String(r.n).padStart(6)} | ${f(r.mpP50)}   | ${f(r.mpP95)}   | ${f(
        r.catP50,
      )}    | ${f(r.catP95)}    | ${ratios(r)
        .p95.toFixed(1)
        .padStart(8)}x | ${kb(r.mpBytes)}  | ${kb(r.catBytes)}   | ${f(
        r.mpAloneP50,
      )}         | ${f(r.mpAloneP95)}\n`,
    );
  }
  process.stdout.write(
    '\nIndex, ingestion and change propagation (targets: p95 < 50 ms, >= 20x, index <= 400 MB, first page < 30 KB, Model/Component <= 1.15, change in browse < 5 s)\n',
  );
  process.stdout.write(
    '     N | index heap | index build | first page | catalog ingest | index ingest | Component ingest | Model/Component | Components with the fields | Model/those | change | add | delete\n',
  );
  const s = (sec?: number) =>
    sec === undefined ? '     -' : `${sec.toFixed(1)} s`.padStart(8);
  const fixed = (x?: number) =>
    x === undefined ? '       -' : x.toFixed(2).padStart(8);
  for (const r of rows) {
    const p = r.propagation;
    const ratio = ratios(r);
    process.stdout.write(
      `${String(r.n).padStart(6)} | ${`${r.indexMb.toFixed(1)} MB`.padStart(
        10,
      )} | ${`${r.indexBuildMs.toFixed(0)} ms`.padStart(11)} | ${kb(
        r.firstPageBytes,
      )} | ${s(r.catalogIngestS)}       | ${s(r.indexIngestS)}     | ${s(
        r.componentIngestS,
      )}         | ${fixed(ratio.modelComponent)}        | ${s(
        r.fullComponentIngestS,
      )}                   | ${fixed(ratio.modelFullComponent)}    | ${(
        p.changeMs / 1000
      ).toFixed(2)} s (catalog ${(p.changeCatalogMs / 1000).toFixed(2)} s) | ${(
        p.addMs / 1000
      ).toFixed(2)} s (catalog ${(p.addCatalogMs / 1000).toFixed(2)} s) | ${
        p.removeMs === undefined ? '-' : `${(p.removeMs / 1000).toFixed(2)} s`
      }\n`,
    );
  }
  for (const r of rows) {
    process.stdout.write(`\nN=${r.n} against the targets:\n`);
    for (const c of targetChecks(r)) {
      const verdict = c.met === undefined ? '' : c.met ? '  met' : '  NOT met';
      process.stdout.write(`  ${c.figure} (target ${c.target})${verdict}\n`);
    }
  }
}
