/*
 * Runs every benchmark in this folder (`*.bench.ts`), one after another, each
 * in its own process, and lets each print its own table. `yarn bench` runs it;
 * `yarn bench browse` runs only the benchmarks whose file name contains
 * "browse".
 */
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';

const filter = process.argv.slice(2);
const files = readdirSync(__dirname)
  .filter(f => f.endsWith('.bench.ts'))
  .filter(f => filter.length === 0 || filter.some(word => f.includes(word)))
  .sort();

let failed = 0;
for (const file of files) {
  process.stdout.write(`\n=== ${file} ===\n`);
  const result = spawnSync(
    process.execPath,
    [
      '--require',
      '@backstage/cli/config/nodeTransform.cjs',
      '--expose-gc',
      join(__dirname, file),
    ],
    { stdio: 'inherit', cwd: join(__dirname, '..') },
  );
  if (result.status !== 0) {
    failed += 1;
    process.stdout.write(`${file} failed with exit code ${result.status}\n`);
  }
}
process.exit(failed ? 1 : 0);
