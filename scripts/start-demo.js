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
 * (default 3000). Extra arguments are passed to `backstage-cli repo start`.
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

async function main() {
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

  let stopping = false;
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

  const backstage = spawn(
    process.execPath,
    [
      require.resolve('@backstage/cli/bin/backstage-cli', { paths: [root] }),
      'repo',
      'start',
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
        SANDBOX_URL: `https://127.0.0.1:${port}`,
        SANDBOX_TOKEN: token,
        SANDBOX_CA_DATA: caData,
      },
    },
  );

  const shutdown = signal => {
    if (stopping) return;
    stopping = true;
    log(`stopping (${signal})`);
    if (backstage.exitCode === null) backstage.kill(signal);
  };
  process.on('SIGINT', () => shutdown('SIGINT'));
  process.on('SIGTERM', () => shutdown('SIGTERM'));

  sandbox.on('exit', code => {
    if (!stopping) {
      log(`the sandbox exited (${code}); stopping Backstage`);
      shutdown('SIGTERM');
    }
  });
  backstage.on('exit', code => {
    stopping = true;
    if (sandbox.exitCode !== null) process.exit(code ?? 0);
    sandbox.once('exit', () => process.exit(code ?? 0));
    stopSandbox();
    setTimeout(() => process.exit(code ?? 0), 5000);
  });
}

main().catch(e => {
  log(e.stack || String(e));
  process.exit(1);
});
