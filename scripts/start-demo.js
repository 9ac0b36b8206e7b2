#!/usr/bin/env node
/*
 * `yarn start`: the local demo. Starts the Kubernetes sandbox (a small HTTPS
 * Kubernetes API server, not a cluster) on https://127.0.0.1:6443 with the
 * team namespaces of examples/org.yaml and a fresh random token. The token
 * may read across namespaces, because Backstage's Kubernetes tab lists
 * workloads cluster-wide; which namespace a deploy may use is decided by the
 * model:deploy checks (the team's `aic.dev/kubernetes-namespaces`).
 * then runs `backstage-cli repo start` (backend and app) with app-config.yaml
 * plus app-config.demo.yaml (the demo's guest and `?as=` sign-in) and the sandbox's
 * token and CA in the environment that app-config.yaml reads
 * (SANDBOX_TOKEN, SANDBOX_CA_DATA, SANDBOX_URL). The sandbox stops when
 * Backstage exits.
 *
 * Files written under .sandbox/ (gitignored): kubeconfig (for kubectl),
 * ca.pem, token.
 *
 * Environment: SANDBOX_PORT (default 6443), SANDBOX_ROLLOUT_DELAY_MS
 * (default 3000), OTEL_EXPORTER_PROMETHEUS_PORT (the metrics endpoint, default
 * 9464; see packages/backend/instrumentation.js). Extra arguments are passed
 * to `backstage-cli repo start`.
 *
 * AIC_KUBE=testenv runs the demo on a real Kubernetes control plane instead
 * (packages/kubernetes-testenv: etcd, kube-apiserver, controller-manager,
 * scheduler, kwok nodes and pods; build it first with
 * packages/kubernetes-testenv/scripts/build-binaries.sh). Backstage then uses
 * the token of the `backstage` service account, whose least-privilege RBAC is
 * examples/kubernetes/backstage-rbac.yaml. When AIC_TESTENV_INFO names the
 * info file of a running `kube-testenv` (as in .ci/run), that one is used;
 * otherwise one is started and stopped with the demo. The cluster keeps the
 * name `sandbox`, which the team namespaces of examples/org.yaml refer to.
 * .sandbox/kubeconfig then has contexts `backstage`, `admin` and the teams.
 */
const { spawn } = require('node:child_process');
const crypto = require('node:crypto');
const fs = require('node:fs');
const path = require('node:path');

const root = path.resolve(__dirname, '..');
const dir = path.join(root, '.sandbox');
const port = Number(process.env.SANDBOX_PORT || 6443);
const rolloutDelayMs = Number(process.env.SANDBOX_ROLLOUT_DELAY_MS || 3000);
const cli = path.join(root, 'packages/kubernetes-sandbox/bin/kube-sandbox');
const testenvCli = path.join(
  root,
  'packages/kubernetes-testenv/bin/kube-testenv',
);

/** The namespaces of the `sandbox` cluster that teams own. */
function teamNamespaces() {
  const YAML = require('yaml');
  const text = fs.readFileSync(path.join(root, 'examples/org.yaml'), 'utf8');
  const namespaces = new Set();
  for (const doc of YAML.parseAllDocuments(text)) {
    const entity = doc.toJSON();
    const value =
      entity?.metadata?.annotations?.['aic.dev/kubernetes-namespaces'];
    for (const entry of (value || '').split(',')) {
      const [cluster, namespace] = entry.trim().split('/');
      if (cluster === 'sandbox' && namespace) namespaces.add(namespace);
    }
  }
  return [...namespaces];
}

function log(message) {
  process.stdout.write(`[start-demo] ${message}\n`);
}

async function waitForKubeconfig(file, child) {
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) {
      throw new Error(`the sandbox exited with code ${child.exitCode}`);
    }
    if (fs.existsSync(file)) {
      const text = fs.readFileSync(file, 'utf8');
      const match = /certificate-authority-data:\s*(\S+)/.exec(text);
      if (match) return match[1];
    }
    await new Promise(r => setTimeout(r, 200));
  }
  throw new Error('the sandbox did not start within 60 seconds');
}

/** Waits for the JSON info file `kube-testenv --info-file` writes once ready. */
async function waitForInfo(file, child) {
  const deadline = Date.now() + 300_000;
  while (Date.now() < deadline) {
    if (child && child.exitCode !== null) {
      throw new Error(`kube-testenv exited with code ${child.exitCode}`);
    }
    if (fs.existsSync(file)) {
      return JSON.parse(fs.readFileSync(file, 'utf8'));
    }
    await new Promise(r => setTimeout(r, 500));
  }
  throw new Error(
    'the Kubernetes test environment did not start within 5 minutes',
  );
}

/**
 * The real control plane: the running one AIC_TESTENV_INFO names, or a new
 * one. Returns what Backstage needs and the child process, if started here.
 */
async function startTestEnv(namespaces) {
  fs.mkdirSync(dir, { recursive: true });
  const shared = process.env.AIC_TESTENV_INFO;
  if (shared) {
    log(`using the running Kubernetes test environment of ${shared}`);
    const info = await waitForInfo(shared);
    fs.copyFileSync(info.kubeconfig, path.join(dir, 'kubeconfig'));
    return { info, child: undefined };
  }
  const infoFile = path.join(dir, 'testenv.json');
  fs.rmSync(infoFile, { force: true });
  log('starting the Kubernetes test environment (a real control plane)');
  const child = spawn(
    process.execPath,
    [
      testenvCli,
      '--kubeconfig',
      path.join(dir, 'kubeconfig'),
      '--info-file',
      infoFile,
      '--namespaces',
      namespaces.join(','),
    ],
    { cwd: root, stdio: ['ignore', 'inherit', 'inherit'] },
  );
  return { info: await waitForInfo(infoFile, child), child };
}

async function main() {
  if (process.env.AIC_KUBE === 'testenv') {
    await mainTestEnv();
    return;
  }
  if (!fs.existsSync(cli)) {
    log(`${path.relative(root, cli)} is missing; cannot start the sandbox`);
    process.exit(1);
  }
  fs.mkdirSync(dir, { recursive: true });
  const kubeconfig = path.join(dir, 'kubeconfig');
  fs.rmSync(kubeconfig, { force: true });
  const token = crypto.randomBytes(24).toString('hex');
  fs.writeFileSync(path.join(dir, 'token'), token, { mode: 0o600 });
  const namespaces = teamNamespaces();

  log(
    `starting the Kubernetes sandbox on port ${port} with namespaces ${namespaces.join(
      ', ',
    )}`,
  );
  const sandbox = spawn(
    process.execPath,
    [
      cli,
      '--port',
      String(port),
      '--kubeconfig',
      kubeconfig,
      '--token',
      `${token}=*`,
      '--namespaces',
      namespaces.join(','),
      '--rollout-delay-ms',
      String(rolloutDelayMs),
    ],
    { cwd: root, stdio: ['ignore', 'inherit', 'inherit'] },
  );

  const stopSandbox = () => {
    if (sandbox.exitCode === null && !sandbox.killed) sandbox.kill('SIGTERM');
  };
  process.on('exit', stopSandbox);

  let caData;
  try {
    caData = await waitForKubeconfig(kubeconfig, sandbox);
  } catch (e) {
    log(`${e.message}`);
    stopSandbox();
    process.exit(1);
  }
  fs.writeFileSync(
    path.join(dir, 'ca.pem'),
    Buffer.from(caData, 'base64').toString('utf8'),
  );
  log(`sandbox ready; try: kubectl --kubeconfig .sandbox/kubeconfig get ns`);

  let backstageExited = false;
  const shutdown = runBackstage(
    { url: `https://127.0.0.1:${port}`, token, caData },
    code => {
      backstageExited = true;
      if (sandbox.exitCode !== null) process.exit(code);
      sandbox.once('exit', () => process.exit(code));
      stopSandbox();
      setTimeout(() => process.exit(code), 5000);
    },
  );
  sandbox.on('exit', code => {
    if (!backstageExited) {
      log(`the sandbox exited (${code}); stopping Backstage`);
      shutdown('SIGTERM');
    }
  });
}

/** Runs Backstage with these cluster settings until it exits. */
function runBackstage(cluster, onExit) {
  const backstage = spawn(
    process.execPath,
    [
      require.resolve('@backstage/cli/bin/backstage-cli', { paths: [root] }),
      'repo',
      'start',
      // OpenTelemetry metrics in Prometheus format, on
      // OTEL_EXPORTER_PROMETHEUS_PORT (9464)
      '--require',
      path.join(root, 'packages/backend/instrumentation.js'),
      // the demo's sign-in (guest, devUser) lives in its own config layer
      '--config',
      path.join(root, 'app-config.yaml'),
      '--config',
      path.join(root, 'app-config.demo.yaml'),
      ...process.argv.slice(2),
    ],
    {
      cwd: root,
      stdio: 'inherit',
      env: {
        ...process.env,
        SANDBOX_URL: cluster.url,
        SANDBOX_TOKEN: cluster.token,
        SANDBOX_CA_DATA: cluster.caData,
      },
    },
  );
  let stopping = false;
  const shutdown = signal => {
    if (stopping) return;
    stopping = true;
    log(`stopping (${signal})`);
    if (backstage.exitCode === null) backstage.kill(signal);
  };
  process.on('SIGINT', () => shutdown('SIGINT'));
  process.on('SIGTERM', () => shutdown('SIGTERM'));
  backstage.on('exit', code => onExit(code ?? 0));
  return shutdown;
}

async function mainTestEnv() {
  const namespaces = teamNamespaces();
  let started;
  try {
    started = await startTestEnv(namespaces);
  } catch (e) {
    log(e.message);
    process.exit(1);
  }
  const { info, child } = started;
  const stopTestEnv = () => {
    if (child && child.exitCode === null && !child.killed) {
      child.kill('SIGTERM');
    }
  };
  process.on('exit', stopTestEnv);
  log(
    `Kubernetes test environment ready at ${info.url}; try: kubectl --kubeconfig .sandbox/kubeconfig --context admin get pods -A`,
  );
  const shutdown = runBackstage(
    { url: info.url, token: info.backstageToken, caData: info.caData },
    code => {
      if (!child || child.exitCode !== null) process.exit(code);
      child.once('exit', () => process.exit(code));
      stopTestEnv();
      setTimeout(() => process.exit(code), 30_000);
    },
  );
  child?.on('exit', code => {
    log(`kube-testenv exited (${code}); stopping Backstage`);
    shutdown('SIGTERM');
  });
}

main().catch(e => {
  log(e.stack || String(e));
  process.exit(1);
});
