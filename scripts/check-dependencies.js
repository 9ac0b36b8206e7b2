#!/usr/bin/env node
/*
 * Checks that every package under plugins/ declares exactly the runtime
 * dependencies its source uses: a `dependencies` entry that no non-test file
 * imports is reported, and so is an import of a package that is declared
 * nowhere (`backstage-cli package lint` catches most of the latter, this
 * script the former). Test files may use devDependencies.
 *
 * Usage: node scripts/check-dependencies.js [plugins/<dir> ...]
 * Exit code 1 when something is reported.
 */
const fs = require('node:fs');
const path = require('node:path');
const { builtinModules } = require('node:module');

const ROOT = path.resolve(__dirname, '..');
const IMPORT =
  /(?:from\s+|import\s*\(\s*|require\s*\(\s*|import\s+)['"]([^'"./][^'"]*)['"]/g;
// Packages a package declares without importing them, for a reason that
// holds for any package: peers of React and the build tool.
const IMPLICIT = new Set(['react', 'react-dom', '@backstage/cli']);
const TEST_FILE =
  /(\.test\.[jt]sx?$|__testUtils__|\/setupTests\.[jt]s$|\.examples?\.[jt]s$)/;

function packageOf(specifier) {
  const parts = specifier.split('/');
  return specifier.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0];
}

function* sourceFiles(dir) {
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    if (['node_modules', 'dist', 'dist-types'].includes(entry.name)) {
      continue;
    }
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) {
      yield* sourceFiles(full);
    } else if (/\.(ts|tsx|js|cjs|mjs)$/.test(entry.name)) {
      yield full;
    }
  }
}

function check(dir) {
  const pkg = JSON.parse(
    fs.readFileSync(path.join(dir, 'package.json'), 'utf8'),
  );
  const deps = new Set(Object.keys(pkg.dependencies ?? {}));
  const declared = new Set([
    ...deps,
    ...Object.keys(pkg.devDependencies ?? {}),
    ...Object.keys(pkg.peerDependencies ?? {}),
  ]);
  const usedBySource = new Set();
  const problems = [];
  for (const file of sourceFiles(dir)) {
    const isTest = TEST_FILE.test(file);
    for (const [, specifier] of fs
      .readFileSync(file, 'utf8')
      .matchAll(IMPORT)) {
      const name = packageOf(specifier);
      if (name.startsWith('node:') || builtinModules.includes(name)) {
        continue;
      }
      if (!isTest) {
        usedBySource.add(name);
        if (
          !deps.has(name) &&
          !pkg.peerDependencies?.[name] &&
          !IMPLICIT.has(name)
        ) {
          problems.push(
            `${path.relative(
              ROOT,
              file,
            )} imports ${name}, which is not in dependencies`,
          );
        }
      } else if (!declared.has(name) && name !== pkg.name) {
        problems.push(
          `${path.relative(ROOT, file)} imports ${name}, which is not declared`,
        );
      }
    }
  }
  for (const name of deps) {
    if (!usedBySource.has(name) && !IMPLICIT.has(name)) {
      problems.push(
        `${pkg.name}: dependency ${name} is used by no source file`,
      );
    }
  }
  return problems;
}

const dirs = process.argv.slice(2).length
  ? process.argv.slice(2).map(d => path.resolve(d))
  : fs
      .readdirSync(path.join(ROOT, 'plugins'))
      .map(d => path.join(ROOT, 'plugins', d))
      .filter(d => fs.existsSync(path.join(d, 'package.json')));

const problems = dirs.flatMap(check);
for (const problem of problems) {
  process.stderr.write(`${problem}\n`);
}
process.stdout.write(
  `${dirs.length} packages checked, ${problems.length} dependency problems\n`,
);
process.exitCode = problems.length ? 1 : 0;
