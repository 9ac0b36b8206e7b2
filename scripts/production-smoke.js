#!/usr/bin/env node
/*
 * `yarn test:production`: proves that the production configuration starts
 * and offers no password-less sign-in. CI runs it from .ci/run.
 *
 * 1. Builds the backend like a deployment does (`yarn build:backend`, which
 *    also builds the app it serves) unless SMOKE_SKIP_BUILD=1.
 * 2. Unpacks packages/backend/dist/bundle.tar.gz into .production-smoke/ and
 *    links its built workspace packages (@aic/*, app) into
 *    .production-smoke/node_modules, so the backend runs the built code;
 *    third-party packages resolve from the repository's node_modules (the
 *    same versions as yarn.lock, without a second install).
 * 3. Starts `node packages/backend` with NODE_ENV=production and
 *    app-config.yaml + app-config.production.yaml (never app-config.demo.yaml)
 *    on PostgreSQL with a unique database prefix, plus a small config file
 *    for the port and a static service token used by the checks below.
 * 4. Waits for readiness, then checks that guest and devUser sign-in are
 *    refused, that GitHub sign-in is offered, that the catalog and the
 *    marketplace need credentials, that error bodies carry no stack trace or
 *    server path, that the served app offers only the GitHub provider, and
 *    that its main script comes from the build's pre-compressed copy.
 * 5. Stops the backend and drops its databases; removes .production-smoke/
 *    unless a check failed (its backend.log is kept then).
 *
 * The backend is started as docs/monitoring/README.md shows, with
 * packages/backend/instrumentation.js required first; a check reads its
 * Prometheus endpoint.
 *
 * Environment: SMOKE_PORT (default 27007), SMOKE_METRICS_PORT (default
 * 27464), SMOKE_POSTGRES_URL (default
 * postgresql://postgres@127.0.0.1:5432), SMOKE_SKIP_BUILD=1,
 * SMOKE_TIMEOUT_MS (readiness, default 180000).
 */
const { spawn, spawnSync } = require('node:child_process');
const crypto = require('node:crypto');
const fs = require('node:fs');
const path = require('node:path');

const root = path.resolve(__dirname, '..');
const dir = path.join(root, '.production-smoke');
const port = Number(process.env.SMOKE_PORT || 27007);
const base = `http://127.0.0.1:${port}`;
const metricsPort = Number(process.env.SMOKE_METRICS_PORT || 27464);
const pgUrl = new URL(
  process.env.SMOKE_POSTGRES_URL || 'postgresql://postgres@127.0.0.1:5432',
);
const readinessTimeoutMs = Number(process.env.SMOKE_TIMEOUT_MS || 180_000);
const prefix = `smoke_${process.pid}_${Date.now().toString(36)}_`;
const serviceToken = crypto.randomBytes(24).toString('hex');

const failures = [];
function log(message) {
  process.stdout.write(`[production-smoke] ${message}\n`);
}
function check(ok, what, detail = '') {
  log(`${ok ? 'ok  ' : 'FAIL'} ${what}${!ok && detail ? `: ${detail}` : ''}`);
  if (!ok) failures.push(what);
}

function run(command, args, options = {}) {
  const result = spawnSync(command, args, {
    cwd: root,
    stdio: 'inherit',
    ...options,
  });
  if (result.status !== 0) {
    throw new Error(`${command} ${args.join(' ')} exited ${result.status}`);
  }
}

/** Unpacks the backend bundle and links its workspace packages. */
function unpack() {
  const bundle = path.join(root, 'packages/backend/dist/bundle.tar.gz');
  if (!fs.existsSync(bundle)) {
    throw new Error(`${bundle} is missing; run yarn build:backend`);
  }
  fs.rmSync(dir, { recursive: true, force: true });
  fs.mkdirSync(dir, { recursive: true });
  run('tar', ['-xzf', bundle, '-C', dir]);
  for (const folder of ['packages', 'plugins']) {
    for (const name of fs.readdirSync(path.join(dir, folder))) {
      const pkgDir = path.join(dir, folder, name);
      const pkg = JSON.parse(
        fs.readFileSync(path.join(pkgDir, 'package.json'), 'utf8'),
      );
      const link = path.join(dir, 'node_modules', pkg.name);
      fs.mkdirSync(path.dirname(link), { recursive: true });
      fs.symlinkSync(pkgDir, link, 'dir');
    }
  }
}

function writeConfig() {
  const file = path.join(dir, 'app-config.smoke.yaml');
  fs.writeFileSync(
    file,
    [
      '# Written by scripts/production-smoke.js: port, database prefix and a',
      '# static token for the checks. Everything else is the production config.',
      'backend:',
      `  baseUrl: ${base}`,
      '  listen:',
      `    port: ${port}`,
      '    host: 127.0.0.1',
      '  database:',
      `    prefix: ${prefix}`,
      '  auth:',
      '    externalAccess:',
      '      - type: static',
      '        options:',
      `          token: ${serviceToken}`,
      '          subject: production-smoke',
      'search:',
      '  collators:',
      '    catalog:',
      '      schedule:',
      '        frequency: { hours: 24 }',
      '        timeout: { minutes: 15 }',
      '        initialDelay: { hours: 24 }',
      '',
    ].join('\n'),
    { mode: 0o600 },
  );
  return file;
}

function startBackend(configFile) {
  const { K8S_CLUSTER_CA_DATA: _unused, ...inherited } = process.env;
  const env = {
    ...inherited,
    NODE_ENV: 'production',
    APP_BASE_URL: base,
    BACKEND_BASE_URL: base,
    POSTGRES_HOST: pgUrl.hostname,
    POSTGRES_PORT: pgUrl.port || '5432',
    POSTGRES_USER: decodeURIComponent(pgUrl.username || 'postgres'),
    POSTGRES_PASSWORD: decodeURIComponent(pgUrl.password || ''),
    // a cluster that is never called during the smoke test
    K8S_CLUSTER_NAME: 'production',
    K8S_CLUSTER_URL: 'https://127.0.0.1:1',
    K8S_CLUSTER_TOKEN: 'not-a-real-token',
    AUTH_GITHUB_CLIENT_ID: 'smoke-client-id',
    AUTH_GITHUB_CLIENT_SECRET: 'smoke-client-secret',
    OTEL_EXPORTER_PROMETHEUS_PORT: String(metricsPort),
    OTEL_EXPORTER_PROMETHEUS_HOST: '127.0.0.1',
  };
  // as a deployment copies it next to the bundle (docs/monitoring/README.md)
  fs.copyFileSync(
    path.join(root, 'packages/backend/instrumentation.js'),
    path.join(dir, 'instrumentation.js'),
  );
  const output = fs.openSync(path.join(dir, 'backend.log'), 'w');
  const child = spawn(
    process.execPath,
    [
      '--require',
      './instrumentation.js',
      'packages/backend',
      '--config',
      path.join(root, 'app-config.yaml'),
      '--config',
      path.join(root, 'app-config.production.yaml'),
      '--config',
      configFile,
    ],
    { cwd: dir, env, stdio: ['ignore', output, output], detached: true },
  );
  return child;
}

async function waitForReadiness(child) {
  const deadline = Date.now() + readinessTimeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) {
      throw new Error(`the backend exited with code ${child.exitCode}`);
    }
    const logText = fs.readFileSync(path.join(dir, 'backend.log'), 'utf8');
    if (logText.includes('Backend startup failed')) {
      throw new Error('the backend startup failed (see its log below)');
    }
    try {
      const res = await fetch(`${base}/.backstage/health/v1/readiness`);
      if (res.ok) return;
    } catch {
      // not listening yet
    }
    await new Promise(r => setTimeout(r, 500));
  }
  throw new Error(`the backend was not ready within ${readinessTimeoutMs} ms`);
}

async function checks() {
  const get = (p, init) =>
    fetch(`${base}${p}`, { redirect: 'manual', ...init });
  const bodyOf = async res => res.text();

  for (const provider of ['guest', 'devUser']) {
    const res = await get(`/api/auth/${provider}/refresh`, {
      headers: { 'x-aic-dev-user': 'helen.park' },
    });
    const body = await bodyOf(res);
    check(
      res.status === 404 && !body.includes('backstageIdentity'),
      `${provider} sign-in is refused (404)`,
      `${res.status} ${body.slice(0, 200)}`,
    );
  }

  const metrics = await fetch(`http://127.0.0.1:${metricsPort}/metrics`);
  const exposition = await bodyOf(metrics);
  check(
    metrics.status === 200 &&
      exposition.includes('target_info{service_name="backstage"}') &&
      /^model_marketplace_index_models\{/m.test(exposition),
    `Prometheus metrics are served on port ${metricsPort}`,
    `${metrics.status} ${exposition.slice(0, 300)}`,
  );

  const github = await get('/api/auth/github/start?env=production');
  const location = github.headers.get('location') ?? '';
  check(
    github.status === 302 && location.includes('client_id=smoke-client-id'),
    'GitHub sign-in is offered (302 to the OAuth authorize page)',
    `${github.status} ${location}`,
  );

  for (const p of [
    '/api/catalog/entities',
    '/api/model-marketplace/models',
    '/api/model-marketplace/requests',
    '/api/scaffolder/v2/tasks',
  ]) {
    const res = await get(p);
    check(res.status === 401, `${p} needs credentials (401)`, `${res.status}`);
  }

  const service = { headers: { authorization: `Bearer ${serviceToken}` } };
  const models = await get('/api/model-marketplace/models', service);
  check(
    models.status === 200,
    'the marketplace answers a service',
    `${models.status}`,
  );
  for (const [p, status] of [
    ['/api/model-marketplace/requests/abc%00', 400],
    ['/api/model-marketplace/requests/no-such-request', 404],
    ['/api/model-marketplace/models?limit=abc', 400],
  ]) {
    const res = await get(p, service);
    const body = await bodyOf(res);
    check(
      res.status === status &&
        !body.includes('"stack"') &&
        !/ at |\/src\/|\/dist\/|node_modules/.test(body) &&
        !body.includes(root),
      `${p} answers ${status} without stack trace or server path`,
      `${res.status} ${body.slice(0, 300)}`,
    );
  }

  const app = await get('/');
  const html = await bodyOf(app);
  check(
    app.status === 200 &&
      html.includes('signInProviders') &&
      !/"signInProviders":\[[^\]]*guest/.test(html),
    'the app is served and its sign-in page offers only GitHub',
    `${app.status} ${html.slice(0, 200)}`,
  );

  // the app's scripts come from the build's brotli copies (served as they
  // are, cached for a year), not compressed again on every first visit
  const script = /<script[^>]+src="\/?(static\/main\.[0-9a-f]+\.js)"/.exec(
    html,
  );
  const js = script
    ? await get(`/${script[1]}`, { headers: { 'accept-encoding': 'br' } })
    : undefined;
  check(
    js?.status === 200 &&
      js.headers.get('content-encoding') === 'br' &&
      (js.headers.get('cache-control') ?? '').includes('immutable'),
    "the app's main script is served from its pre-compressed brotli copy",
    js
      ? `${js.status} ${js.headers.get('content-encoding')} ${js.headers.get(
          'cache-control',
        )}`
      : 'no main script in the page',
  );
}

async function stop(child) {
  if (!child || child.exitCode !== null) return;
  const exited = new Promise(r => child.once('exit', r));
  process.kill(-child.pid, 'SIGTERM');
  const timer = setTimeout(() => {
    if (child.exitCode === null) process.kill(-child.pid, 'SIGKILL');
  }, 20_000);
  await exited;
  clearTimeout(timer);
}

async function dropDatabases() {
  const { Client } = require(require.resolve('pg', {
    paths: [path.join(root, 'packages/backend')],
  }));
  const client = new Client({
    host: pgUrl.hostname,
    port: Number(pgUrl.port || 5432),
    user: decodeURIComponent(pgUrl.username || 'postgres'),
    password: decodeURIComponent(pgUrl.password || ''),
    database: 'postgres',
  });
  await client.connect();
  try {
    const { rows } = await client.query(
      'SELECT datname FROM pg_database WHERE starts_with(datname, $1)',
      [prefix],
    );
    for (const { datname } of rows) {
      await client.query(
        `DROP DATABASE IF EXISTS "${datname.replace(/"/g, '""')}" WITH (FORCE)`,
      );
    }
    log(`dropped ${rows.length} databases with prefix ${prefix}`);
  } finally {
    await client.end();
  }
}

async function main() {
  const started = Date.now();
  if (process.env.SMOKE_SKIP_BUILD !== '1') {
    log('yarn build:backend');
    run('yarn', ['build:backend']);
  }
  unpack();
  const configFile = writeConfig();
  log(
    `starting the built backend on ${base} (NODE_ENV=production, database prefix ${prefix})`,
  );
  const startedAt = Date.now();
  const child = startBackend(configFile);
  try {
    await waitForReadiness(child);
    log(`ready after ${Date.now() - startedAt} ms`);
    await checks();
  } catch (error) {
    failures.push(String(error.message || error));
    log(`FAIL ${error.message || error}`);
  } finally {
    await stop(child);
    await dropDatabases().catch(e => log(`could not drop databases: ${e}`));
  }
  if (failures.length) {
    const logFile = path.join(dir, 'backend.log');
    if (fs.existsSync(logFile)) {
      log('last lines of the backend log:');
      const lines = fs.readFileSync(logFile, 'utf8').trim().split('\n');
      process.stdout.write(`${lines.slice(-40).join('\n')}\n`);
    }
    log(`${failures.length} check(s) failed`);
    process.exit(1);
  }
  fs.rmSync(dir, { recursive: true, force: true });
  log(`all checks passed in ${Math.round((Date.now() - started) / 1000)} s`);
}

main().catch(error => {
  log(`FAIL ${error.stack || error}`);
  process.exit(1);
});
