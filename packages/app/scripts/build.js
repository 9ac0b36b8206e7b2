#!/usr/bin/env node
/*
 * Builds the app (`backstage-cli package build`, with any arguments given to
 * `yarn build`, e.g. `--config`) and then writes a gzip (`.gz`) and a brotli
 * (`.br`) copy next to every compressible file in dist/static, so the
 * backend serves those bytes as they are instead of compressing about 2.5 MB
 * of JavaScript again on every first visit
 * (packages/backend/src/modules/PrecompressedStaticMiddleware.ts).
 *
 * The build is a script rather than `backstage-cli package build && ...`
 * because the backend's bundle build runs the app's build script with
 * `--config` arguments appended, which must reach backstage-cli.
 * `node scripts/build.js --compress-only` only compresses an existing build.
 */
const { spawnSync } = require('node:child_process');
const {
  readdir,
  readFile,
  stat,
  utimes,
  writeFile,
} = require('node:fs/promises');
const { join, resolve } = require('node:path');
const { promisify } = require('node:util');
const zlib = require('node:zlib');

const gzip = promisify(zlib.gzip);
const brotli = promisify(zlib.brotliCompress);

/** Files worth compressing; source maps are only fetched by dev tools. */
const COMPRESSIBLE = /\.(js|css|json|svg|html|txt)$/;
/** Below this size the headers outweigh what compression saves. */
const MIN_BYTES = 1024;

async function compressFile(path) {
  const [data, info] = await Promise.all([readFile(path), stat(path)]);
  if (data.length < MIN_BYTES) {
    return { raw: 0, gz: 0, br: 0 };
  }
  const [gz, br] = await Promise.all([
    gzip(data, { level: zlib.constants.Z_BEST_COMPRESSION }),
    brotli(data, {
      params: {
        [zlib.constants.BROTLI_PARAM_MODE]: zlib.constants.BROTLI_MODE_TEXT,
        [zlib.constants.BROTLI_PARAM_QUALITY]:
          zlib.constants.BROTLI_MAX_QUALITY,
        [zlib.constants.BROTLI_PARAM_SIZE_HINT]: data.length,
      },
    }),
  ]);
  // the copies carry the original's modification time: the backend serves
  // a copy only while it is not older than the file (the app backend may
  // rewrite a file at start-up to inject configuration)
  for (const [suffix, body] of [
    ['.gz', gz],
    ['.br', br],
  ]) {
    await writeFile(`${path}${suffix}`, body);
    await utimes(`${path}${suffix}`, info.atime, info.mtime);
  }
  return { raw: data.length, gz: gz.length, br: br.length };
}

async function compressDir(dir) {
  const entries = await readdir(dir, { withFileTypes: true, recursive: true });
  const files = entries
    .filter(e => e.isFile() && COMPRESSIBLE.test(e.name))
    .map(e => join(e.parentPath ?? e.path, e.name));
  const sizes = await Promise.all(files.map(compressFile));
  const total = sizes.reduce(
    (sum, s) => ({
      raw: sum.raw + s.raw,
      gz: sum.gz + s.gz,
      br: sum.br + s.br,
    }),
    { raw: 0, gz: 0, br: 0 },
  );
  const kb = bytes => `${Math.round(bytes / 1024)} KB`;
  process.stdout.write(
    `Pre-compressed ${sizes.filter(s => s.raw).length} files in ${dir}: ` +
      `${kb(total.raw)} -> ${kb(total.gz)} gzip, ${kb(total.br)} brotli\n`,
  );
}

async function main() {
  const args = process.argv.slice(2);
  const compressOnly = args.includes('--compress-only');
  if (!compressOnly) {
    const cli = require.resolve('@backstage/cli/bin/backstage-cli');
    const result = spawnSync(
      process.execPath,
      [cli, 'package', 'build', ...args],
      { stdio: 'inherit', cwd: resolve(__dirname, '..') },
    );
    if (result.status !== 0) {
      process.exit(result.status ?? 1);
    }
  }
  await compressDir(resolve(__dirname, '../dist/static'));
}

main().catch(error => {
  process.stderr.write(`${error.stack ?? error}\n`);
  process.exit(1);
});
