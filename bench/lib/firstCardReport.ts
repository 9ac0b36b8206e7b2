/*
 * Prints the first-card benchmark's figures: one row per cold run with its
 * breakdown, the p50/p95 of the cold and the warm runs, and the verdicts.
 */
import { percentile } from './backendProcess';
import type { Breakdown } from './firstCardProbe';

export const COLD_TARGET_MS = 1500;
export const WARM_TARGET_MS = 800;

const ms = (value?: number) =>
  value === undefined ? '-' : Math.round(value).toString();
const kb = (bytes: number) => `${Math.round(bytes / 1024)}`;

function row(cells: string[], widths: number[]) {
  return cells.map((cell, i) => cell.padStart(widths[i])).join(' ');
}

const HEADER = [
  'run',
  'doc',
  'JS n',
  'JS wire KB',
  'JS KB',
  'JS done',
  'signin@',
  'click@',
  'auth n',
  'auth done',
  'other api',
  'models start',
  'models end',
  'card',
];
const WIDTHS = HEADER.map(h => Math.max(h.length, 6));

/** One row of the per-run table. */
export function breakdownRow(label: string, b: Breakdown) {
  return row(
    [
      label,
      ms(b.documentEnd),
      String(b.js.count),
      kb(b.js.encoded),
      kb(b.js.decoded),
      ms(b.js.lastEnd),
      ms(b.signIn.shown),
      ms(b.signIn.clicked),
      String(b.signIn.roundTrips),
      ms(b.signIn.lastEnd),
      String(b.apiBeforeModels.length),
      ms(b.models?.start),
      ms(b.models?.end),
      ms(b.cardPainted),
    ],
    WIDTHS,
  );
}

/** The table header, with a legend. */
export function breakdownHeader() {
  return [
    '  (ms from the start of the navigation; JS = scripts requested before the first card,',
    '   wire = compressed body bytes (br or gzip), KB = decoded; signin@/click@ = guest sign-in button',
    '   shown/clicked; auth n = /api/auth/ requests; other api = /api/ requests started',
    '   before the first /api/model-marketplace/models request; card = first card painted)',
    row(HEADER, WIDTHS),
  ].join('\n');
}

/** The chunks and the API requests before /models of one run. */
export function breakdownDetail(b: Breakdown) {
  const lines = ['  JS before the first card (start-end ms, wire KB / KB):'];
  for (const c of [...b.js.chunks].sort((x, y) => x.start - y.start)) {
    lines.push(
      `    ${ms(c.start).padStart(5)}-${ms(c.end).padEnd(5)} ${kb(
        c.encoded,
      ).padStart(5)} / ${kb(c.decoded).padStart(5)}  ${c.name}`,
    );
  }
  lines.push('  API requests started before the first /models request:');
  for (const r of b.apiBeforeModels) {
    lines.push(
      `    ${ms(r.start).padStart(5)}-${ms(r.end).padEnd(5)} ${r.name}`,
    );
  }
  return lines.join('\n');
}

/** The summary lines: p50/p95 of cold and warm and the verdicts. */
export function summary(cold: Breakdown[], warm: Breakdown[]) {
  const coldTimes = cold.map(b => b.cardPainted ?? Infinity);
  const warmTimes = warm.map(b => b.cardPainted ?? Infinity);
  const coldP95 = percentile(coldTimes, 95);
  const warmP95 = percentile(warmTimes, 95);
  const medianOf = (pick: (b: Breakdown) => number | undefined) =>
    ms(
      percentile(
        cold.map(b => pick(b) ?? Infinity),
        50,
      ),
    );
  return [
    `  cold (${cold.length} fresh profiles, incl. guest sign-in): p50 ${ms(
      percentile(coldTimes, 50),
    )} | p95 ${ms(coldP95)}`,
    `  warm (${warm.length} reloads, cache and session kept):    p50 ${ms(
      percentile(warmTimes, 50),
    )} | p95 ${ms(warmP95)}`,
    `  cold medians: doc ${medianOf(b => b.documentEnd)} | JS done ${medianOf(
      b => b.js.lastEnd,
    )} (${kb(
      percentile(
        cold.map(b => b.js.encoded),
        50,
      ),
    )} KB on the wire, ${kb(
      percentile(
        cold.map(b => b.js.decoded),
        50,
      ),
    )} KB) | sign-in shown ${medianOf(
      b => b.signIn.shown,
    )} | auth done ${medianOf(b => b.signIn.lastEnd)} | models ${medianOf(
      b => b.models?.start,
    )}-${medianOf(b => b.models?.end)} | card ${medianOf(b => b.cardPainted)}`,
    `  target cold p95 < ${COLD_TARGET_MS}: ${
      coldP95 < COLD_TARGET_MS ? 'met' : 'NOT met'
    } | warm p95 < ${WARM_TARGET_MS}: ${
      warmP95 < WARM_TARGET_MS ? 'met' : 'NOT met'
    }`,
  ].join('\n');
}
