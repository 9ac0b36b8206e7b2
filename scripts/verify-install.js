#!/usr/bin/env node
/*
 * Installs every plugin of this repository into a brand-new Backstage app,
 * the way an adopter would, and checks that the app works:
 *
 *  1. builds and packs each package under plugins/ with `yarn pack`;
 *  2. creates an app with `@backstage/create-app` in a temporary folder
 *     (non-interactive, from the npm registry) and pins its @backstage
 *     packages to the versions of this repository's yarn.lock;
 *  3. runs the install lines of each plugin's README, and nothing else:
 *     the `yarn --cwd packages/<x> add <package>` commands and the
 *     `backend.add(import('<package>'))` lines for packages/backend. The
 *     packed tarballs stand in for the registry through root `resolutions`;
 *  4. type-checks the app (`yarn tsc`), starts its backend on
 *     VERIFY_INSTALL_PORT (default 7120) and waits until it is ready, then
 *     asks the marketplace and the scaffolder over HTTP as a guest;
 *  5. builds its frontend (`yarn workspace app build`).
 *
 * Prints how long each step took. Exit code 0 when all passed.
 * Environment: VERIFY_INSTALL_PORT, VERIFY_INSTALL_CREATE_APP (the
 * create-app version, default below), VERIFY_INSTALL_KEEP=1 to keep the
 * temporary folder, VERIFY_INSTALL_TIMEOUT_S (backend start bound, 600).
 */
const { spawn, spawnSync } = require('node:child_process');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');

const ROOT = path.resolve(__dirname, '..');
const PORT = Number(process.env.VERIFY_INSTALL_PORT || 7120);
const CREATE_APP = process.env.VERIFY_INSTALL_CREATE_APP || '0.9.2';
const START_TIMEOUT_MS =
  Number(process.env.VERIFY_INSTALL_TIMEOUT_S || 600) * 1000;

const work = fs.mkdtempSync(path.join(os.tmpdir(), 'aic-verify-install-'));
const appDir = path.join(work, 'app');
const timings = [];

// CI=true makes yarn refuse to change a lockfile; a new app has to. Outside a
// project, corepack would look up "the latest yarn" online; the app pins its
// own yarn release through .yarnrc.yml, so any yarn will do to start it.
const env = {
  ...process.env,
  YARN_ENABLE_IMMUTABLE_INSTALLS: 'false',
  COREPACK_DEFAULT_TO_LATEST: '0',
  BACKSTAGE_APP_NAME: 'scratch',
};

function log(message) {
  process.stdout.write(`\n==> ${message}\n`);
}

/** Runs a command to completion; output goes to a log file, shown on failure. */
function run(label, command, args, options = {}) {
  const logFile = path.join(work, `${label.replace(/\W+/g, '-')}.log`);
  const result = spawnSync(command, args, {
    cwd: options.cwd ?? ROOT,
    env: options.env ?? env,
    encoding: 'utf8',
    maxBuffer: 256 * 1024 * 1024,
  });
  fs.writeFileSync(logFile, `${result.stdout ?? ''}\n${result.stderr ?? ''}`);
  if (result.status !== 0) {
    const text = fs.readFileSync(logFile, 'utf8');
    throw new Error(
      `${label} failed (${command} ${args.join(' ')}, exit ${
        result.status ?? result.signal
      }):\n${text.slice(-6000)}`,
    );
  }
  return result.stdout;
}

async function step(name, fn) {
  log(name);
  const started = Date.now();
  const value = await fn();
  const seconds = (Date.now() - started) / 1000;
  timings.push([name, seconds]);
  process.stdout.write(`    ${name}: ${seconds.toFixed(0)} s\n`);
  return value;
}

function plugins() {
  return fs
    .readdirSync(path.join(ROOT, 'plugins'))
    .map(dir => path.join(ROOT, 'plugins', dir))
    .filter(dir => fs.existsSync(path.join(dir, 'package.json')))
    .map(dir => ({
      dir,
      pkg: JSON.parse(fs.readFileSync(path.join(dir, 'package.json'), 'utf8')),
      readme: path.join(dir, 'README.md'),
    }));
}

/** The install lines of a README: yarn add commands and backend.add lines. */
function readInstallLines(readme, packageName) {
  if (!fs.existsSync(readme)) {
    throw new Error(`${readme} does not exist`);
  }
  const text = fs.readFileSync(readme, 'utf8');
  const adds = [];
  const backendLines = [];
  for (const match of text.matchAll(/```(\w*)\n([\s\S]*?)```/g)) {
    const [, lang, body] = match;
    if (lang === 'sh') {
      for (const line of body.split('\n')) {
        const add = line.match(/^yarn --cwd (packages\/\w+) add (.+)$/);
        if (add) {
          adds.push({ cwd: add[1], packages: add[2].trim().split(/\s+/) });
        }
      }
    }
    if (lang === 'ts' && body.startsWith('// packages/backend/src/index.ts')) {
      for (const line of body.split('\n')) {
        if (/^backend\.add\(import\('[^']+'\)\);$/.test(line)) {
          backendLines.push(line);
        }
      }
    }
  }
  if (!adds.some(a => a.packages.includes(packageName))) {
    throw new Error(
      `${readme} has no "yarn --cwd packages/... add ${packageName}" line`,
    );
  }
  return { adds, backendLines };
}

/**
 * The @backstage versions this repository resolves, from its yarn.lock: the
 * highest version of each package.
 */
function ourBackstageVersions() {
  const lock = fs.readFileSync(path.join(ROOT, 'yarn.lock'), 'utf8');
  const versions = new Map();
  const entry = /^"?(@backstage\/[^@\s"]+)@npm:[^\n]*\n {2}version: (\S+)$/gm;
  for (const [, name, version] of lock.matchAll(entry)) {
    const known = versions.get(name);
    if (!known || version.localeCompare(known, 'en', { numeric: true }) > 0) {
      versions.set(name, version);
    }
  }
  return versions;
}

/**
 * create-app seeds a new app's yarn.lock from a lockfile it downloads from
 * the Backstage repository; where that host cannot be reached, every
 * @backstage package resolves to its newest version, and the newest plugins
 * need newer core packages than the template asks for, so the backend fails
 * at start. An adopter's app is on one Backstage release: pin every
 * @backstage package that this repository uses to the version it resolves
 * (root `resolutions`), which is the release the plugins are built against.
 */
function alignBackstageVersions(rootPkgPath) {
  const rootPkg = JSON.parse(fs.readFileSync(rootPkgPath, 'utf8'));
  rootPkg.resolutions = rootPkg.resolutions ?? {};
  const versions = ourBackstageVersions();
  for (const [name, version] of versions) {
    rootPkg.resolutions[name] = version;
  }
  fs.writeFileSync(rootPkgPath, `${JSON.stringify(rootPkg, null, 2)}\n`);
  process.stdout.write(
    `    ${versions.size} @backstage packages pinned to this repository's versions\n`,
  );
}

async function waitForBackend(child) {
  const deadline = Date.now() + START_TIMEOUT_MS;
  let exited = false;
  child.on('exit', () => {
    exited = true;
  });
  for (;;) {
    if (exited) {
      throw new Error('the scratch backend exited before it was ready');
    }
    try {
      const res = await fetch(
        `http://127.0.0.1:${PORT}/.backstage/health/v1/readiness`,
      );
      if (res.ok) {
        return;
      }
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      throw new Error(
        `the scratch backend was not ready within ${START_TIMEOUT_MS / 1000} s`,
      );
    }
    await new Promise(resolve => setTimeout(resolve, 1000));
  }
}

async function expectOk(url, init, what) {
  const res = await fetch(url, init);
  const text = await res.text();
  if (!res.ok) {
    throw new Error(`${what}: ${res.status} ${text.slice(0, 500)}`);
  }
  return text ? JSON.parse(text) : undefined;
}

async function checkBackend() {
  const base = `http://127.0.0.1:${PORT}/api`;
  const health = await expectOk(
    `${base}/model-marketplace/health`,
    {},
    'GET /api/model-marketplace/health',
  );
  const session = await expectOk(
    `${base}/auth/guest/refresh`,
    { headers: { 'X-Requested-With': 'XMLHttpRequest' } },
    'guest sign-in',
  );
  const headers = {
    Authorization: `Bearer ${session.backstageIdentity.token}`,
  };
  const models = await expectOk(
    `${base}/model-marketplace/models`,
    { headers },
    'GET /api/model-marketplace/models',
  );
  const actions = await expectOk(
    `${base}/scaffolder/v2/actions`,
    { headers },
    'GET /api/scaffolder/v2/actions',
  );
  const ids = actions.map(a => a.id);
  for (const id of ['model:deploy', 'model:undeploy']) {
    if (!ids.includes(id)) {
      throw new Error(`the scaffolder has no ${id} action`);
    }
  }
  process.stdout.write(
    `    health ${JSON.stringify(health)}; ${
      models.totalItems
    } models; scaffolder actions include model:deploy, model:undeploy\n`,
  );
}

async function main() {
  process.stdout.write(`working in ${work}\n`);
  const all = plugins();
  const tarballs = path.join(appDir, 'aic-packages');

  await step('build the plugins', () => {
    run('tsc', 'yarn', ['tsc']);
    for (const { dir } of all) {
      run(`build ${path.basename(dir)}`, 'yarn', ['build'], { cwd: dir });
    }
  });

  await step(`create an app with @backstage/create-app@${CREATE_APP}`, () => {
    run(
      'create-app',
      'npx',
      [
        '--yes',
        `@backstage/create-app@${CREATE_APP}`,
        '--path',
        appDir,
        '--skip-install',
      ],
      { cwd: work },
    );
  });

  await step('align the app with the Backstage versions of this repo', () => {
    alignBackstageVersions(path.join(appDir, 'package.json'));
  });

  await step('pack the plugins', () => {
    fs.mkdirSync(tarballs, { recursive: true });
    for (const plugin of all) {
      plugin.tarball = `${plugin.pkg.name
        .replace(/^@/, '')
        .replace('/', '-')}.tgz`;
      run(
        `pack ${path.basename(plugin.dir)}`,
        'yarn',
        ['pack', '--out', path.join(tarballs, plugin.tarball)],
        { cwd: plugin.dir },
      );
    }
    // The tarballs stand in for the registry: every @aic package, asked for
    // directly or as a dependency of another, resolves to its tarball.
    const rootPkgPath = path.join(appDir, 'package.json');
    const rootPkg = JSON.parse(fs.readFileSync(rootPkgPath, 'utf8'));
    rootPkg.resolutions = rootPkg.resolutions ?? {};
    for (const plugin of all) {
      rootPkg.resolutions[
        plugin.pkg.name
      ] = `file:./aic-packages/${plugin.tarball}`;
    }
    fs.writeFileSync(rootPkgPath, `${JSON.stringify(rootPkg, null, 2)}\n`);
  });

  await step('install the plugins by their READMEs', () => {
    run('install the app', 'yarn', ['install'], { cwd: appDir });
    const indexPath = path.join(appDir, 'packages/backend/src/index.ts');
    for (const plugin of all) {
      const { adds, backendLines } = readInstallLines(
        plugin.readme,
        plugin.pkg.name,
      );
      for (const add of adds) {
        // "name" from the README, at the version of the packed tarball
        const specs = add.packages.map(name => {
          const own = all.find(p => p.pkg.name === name);
          return own ? `${name}@^${own.pkg.version}` : name;
        });
        process.stdout.write(
          `    yarn --cwd ${add.cwd} add ${add.packages.join(' ')}\n`,
        );
        run(`add ${specs.join(' ')}`, 'yarn', ['add', ...specs], {
          cwd: path.join(appDir, add.cwd),
        });
      }
      let index = fs.readFileSync(indexPath, 'utf8');
      for (const line of backendLines) {
        if (!index.includes(line)) {
          process.stdout.write(`    ${line}\n`);
          index = index.replace(
            'backend.start();',
            `${line}\n\nbackend.start();`,
          );
        }
      }
      fs.writeFileSync(indexPath, index);
    }
  });

  await step('type-check the app (yarn tsc)', () => {
    run('app tsc', 'yarn', ['tsc'], { cwd: appDir });
  });

  await step(`start the app's backend on port ${PORT}`, async () => {
    const backendLog = fs.openSync(path.join(work, 'backend.log'), 'w');
    const child = spawn('yarn', ['workspace', 'backend', 'start'], {
      cwd: appDir,
      env: {
        ...env,
        APP_CONFIG_backend_listen_port: String(PORT),
        APP_CONFIG_backend_baseUrl: `http://localhost:${PORT}`,
      },
      stdio: ['ignore', backendLog, backendLog],
      detached: true,
    });
    try {
      await waitForBackend(child);
      await checkBackend();
    } catch (error) {
      const text = fs.readFileSync(path.join(work, 'backend.log'), 'utf8');
      process.stdout.write(text.slice(-6000));
      throw error;
    } finally {
      try {
        process.kill(-child.pid, 'SIGTERM');
      } catch {
        // already gone
      }
    }
  });

  await step('build the app (yarn workspace app build)', () => {
    run('app build', 'yarn', ['workspace', 'app', 'build'], { cwd: appDir });
  });
}

main()
  .then(() => {
    const total = timings.reduce((sum, [, s]) => sum + s, 0);
    log(`the plugins install from their READMEs (${total.toFixed(0)} s)`);
    for (const [name, seconds] of timings) {
      process.stdout.write(
        `    ${seconds.toFixed(0).padStart(5)} s  ${name}\n`,
      );
    }
  })
  .catch(error => {
    process.stderr.write(`\nverify-install: ${error.stack ?? error}\n`);
    process.stderr.write(`logs are in ${work}\n`);
    process.exitCode = 1;
  })
  .finally(() => {
    if (!process.exitCode && process.env.VERIFY_INSTALL_KEEP !== '1') {
      fs.rmSync(work, { recursive: true, force: true });
    }
  });
