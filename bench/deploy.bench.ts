/*
 * Deploy benchmark, against a real Kubernetes control plane by default
 * (@aic/kubernetes-testenv: kube-apiserver, controller-manager, scheduler,
 * etcd and kwok nodes; build it with
 * packages/kubernetes-testenv/scripts/build-binaries.sh), or the sandbox
 * with AIC_BENCH_CLUSTER=sandbox:
 *
 * 1. The same manifests (a vLLM model: Deployment + Service) applied 50 times
 *    by our apply path (ModelDeployer: ownership GETs, server dry-run,
 *    server-side apply; no readiness wait) and 50 times by
 *    `kubectl apply --server-side -f` (one process per apply, as a person
 *    runs it). Both talk straight to the apiserver; API calls per apply are
 *    counted on one more apply each through a logging proxy (the sandbox's
 *    request log on the sandbox). Prints wall time per apply and the ratio.
 * 2. 20 concurrent deploys into 20 namespaces, each waiting until Ready
 *    (on the real control plane: the deployment controller's status, pods
 *    scheduled and run by kwok): all must be Ready and none lost.
 *
 * Run with `yarn bench deploy`.
 */
import {
  ClusterRegistry,
  KubernetesManifest,
  ModelDeployer,
  renderModelManifests,
} from '@aic/plugin-model-marketplace-node';
import type { ModelEntityV1alpha1 } from '@aic/plugin-model-marketplace-common';
import type { LoggerService } from '@backstage/backend-plugin-api';
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { kubeconfigFor, realTarget, sandboxTarget } from './lib/deployTargets';

const RUNS = 50;
/** Applies before measuring, for JIT warm-up and kubectl's discovery cache. */
const WARMUP = 5;
const CONCURRENT = 20;

const model: ModelEntityV1alpha1 = {
  apiVersion: 'aic.dev/v1alpha1',
  kind: 'Model',
  metadata: { name: 'llama-3-1-8b-instruct', namespace: 'default' },
  spec: {
    type: 'llm',
    lifecycle: 'production',
    owner: 'ml-platform',
    versions: [
      {
        version: '1.0.0',
        artifact: 'hf://meta-llama/Llama-3.1-8B-Instruct',
        default: true,
      },
    ],
    serving: {
      runtime: 'vllm',
      image: 'vllm/vllm-openai:v0.6.3',
      args: ['--max-model-len=16384'],
      port: 8000,
      resources: { cpu: '4', memory: '32Gi', gpu: 1 },
      replicas: { min: 1, max: 3 },
    },
  },
};

const silentLogger: LoggerService = {
  error() {},
  warn() {},
  info() {},
  debug() {},
  child() {
    return silentLogger;
  },
};

function render(namespace: string): KubernetesManifest[] {
  return renderModelManifests({ model, team: 'team-bench', namespace }).objects;
}

function stats(values: number[]) {
  const sorted = [...values].sort((a, b) => a - b);
  const p = (q: number) =>
    sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
  const mean = values.reduce((a, b) => a + b, 0) / values.length;
  return { p50: p(0.5), p95: p(0.95), mean };
}

const fmt = (n: number, digits = 1) => n.toFixed(digits);

function table(rows: string[][]) {
  const widths = rows[0].map((_, i) => Math.max(...rows.map(r => r[i].length)));
  for (const [i, row] of rows.entries()) {
    process.stdout.write(
      `${row
        .map((c, j) => (j === 0 ? c.padEnd(widths[j]) : c.padStart(widths[j])))
        .join('  ')}\n`,
    );
    if (i === 0) {
      process.stdout.write(`${widths.map(w => '-'.repeat(w)).join('  ')}\n`);
    }
  }
}

/** Runs a process without blocking the event loop (the sandbox and the KServe status writer live in this process). */
function run(
  command: string,
  args: string[],
  env: NodeJS.ProcessEnv,
): Promise<{ status: number | null; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, {
      env,
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', d => (stderr += d));
    child.on('error', reject);
    child.on('close', status => resolve({ status, stderr }));
  });
}

function hasKubectl(): boolean {
  return (
    spawnSync('kubectl', ['version', '--client'], { stdio: 'ignore' })
      .status === 0
  );
}

async function main() {
  const namespaces = [
    'bench-ours',
    'bench-kubectl',
    ...Array.from({ length: CONCURRENT }, (_, i) => `bench-${i}`),
  ];
  const target =
    process.env.AIC_BENCH_CLUSTER === 'sandbox'
      ? await sandboxTarget(namespaces)
      : await realTarget(namespaces);
  process.stdout.write(`\nCluster: ${target.description}\n`);
  const dir = mkdtempSync(join(tmpdir(), 'deploy-bench-'));
  try {
    const cluster = (name: string, url: string) => ({
      name,
      url,
      authProvider: 'serviceAccount',
      serviceAccountToken: target.token,
      caData: target.caData,
      skipTLSVerify: false,
    });
    const clusters = new ClusterRegistry([
      cluster('bench', target.url),
      cluster('counted', target.countedUrl),
    ]);
    const deployer = new ModelDeployer({
      clusters,
      logger: silentLogger,
      pollIntervalMs: 100,
    });

    // 1a. our apply path
    const ours = { ms: [] as number[], calls: 0 };
    const oursObjects = render('bench-ours');
    for (let i = -WARMUP; i < RUNS; i++) {
      const start = performance.now();
      await deployer.deploy({
        cluster: 'bench',
        objects: oursObjects,
        noWait: true,
      });
      if (i >= 0) ours.ms.push(performance.now() - start);
    }
    let before = target.requests();
    await deployer.deploy({
      cluster: 'counted',
      objects: oursObjects,
      noWait: true,
    });
    ours.calls = target.requests() - before;

    // 1b. kubectl apply --server-side, one process per apply
    const kubectl = { ms: [] as number[], calls: 0 };
    const kubectlAvailable = hasKubectl();
    if (kubectlAvailable) {
      const kubeconfig = join(dir, 'kubeconfig');
      const counted = join(dir, 'counted.kubeconfig');
      const manifests = join(dir, 'manifests.yaml');
      writeFileSync(
        kubeconfig,
        kubeconfigFor(target.url, target.caData, target.token),
        { mode: 0o600 },
      );
      writeFileSync(
        counted,
        kubeconfigFor(target.countedUrl, target.caData, target.token),
        { mode: 0o600 },
      );
      writeFileSync(
        manifests,
        render('bench-kubectl')
          .map(o => stringify(o))
          .join('---\n'),
      );
      const apply = async (config: string) => {
        const result = await run(
          'kubectl',
          ['--kubeconfig', config, 'apply', '--server-side', '-f', manifests],
          { ...process.env, HOME: dir },
        );
        if (result.status !== 0) {
          throw new Error(`kubectl apply failed: ${result.stderr}`);
        }
      };
      for (let i = -WARMUP; i < RUNS; i++) {
        const start = performance.now();
        await apply(kubeconfig);
        if (i >= 0) kubectl.ms.push(performance.now() - start);
      }
      before = target.requests();
      await apply(counted);
      kubectl.calls = target.requests() - before;
    }

    process.stdout.write(
      `\nApply of the same ${oursObjects.length} objects (Deployment + Service), ${RUNS} times each after ${WARMUP} warm-up applies\n\n`,
    );
    const o = stats(ours.ms);
    const rows = [
      ['path', 'p50 ms', 'p95 ms', 'mean ms', 'API calls/apply'],
      [
        'ModelDeployer (GET + dry-run + SSA)',
        fmt(o.p50),
        fmt(o.p95),
        fmt(o.mean),
        String(ours.calls),
      ],
    ];
    let fastEnough = true;
    if (kubectlAvailable) {
      const k = stats(kubectl.ms);
      rows.push([
        'kubectl apply --server-side',
        fmt(k.p50),
        fmt(k.p95),
        fmt(k.mean),
        String(kubectl.calls),
      ]);
      rows.push([
        'ratio kubectl / ours',
        `${fmt(k.p50 / o.p50)}x`,
        `${fmt(k.p95 / o.p95)}x`,
        `${fmt(k.mean / o.mean)}x`,
        `${fmt(kubectl.calls / ours.calls, 2)}x`,
      ]);
      fastEnough = k.p50 / o.p50 >= 5 && k.p95 / o.p95 >= 5;
    } else {
      rows.push(['kubectl (not installed: skipped)', '-', '-', '-', '-']);
    }
    table(rows);
    if (!fastEnough) {
      process.stdout.write(
        'target missed: ours is not 5x faster than kubectl at p50 and p95\n',
      );
    }

    // 2. concurrent deploys, each until Ready
    before = target.requests();
    const start = performance.now();
    const results = await Promise.allSettled(
      Array.from({ length: CONCURRENT }, (_, i) =>
        deployer.deploy({
          cluster: 'counted',
          objects: render(`bench-${i}`),
          timeoutMs: 180_000,
        }),
      ),
    );
    const wall = performance.now() - start;
    const ready = results.filter(
      r => r.status === 'fulfilled' && r.value.readiness?.state === 'ready',
    ).length;
    let present = 0;
    for (let i = 0; i < CONCURRENT; i++) {
      if (await target.present(render(`bench-${i}`))) present += 1;
    }
    const failures = results
      .filter((r): r is PromiseRejectedResult => r.status === 'rejected')
      .map(r => String(r.reason?.message ?? r.reason));

    process.stdout.write(
      `\n${CONCURRENT} concurrent deploys into ${CONCURRENT} namespaces, each until Ready\n\n`,
    );
    table([
      ['deploys', 'ready', 'objects present', 'lost', 'wall ms', 'API calls'],
      [
        String(CONCURRENT),
        String(ready),
        `${present}/${CONCURRENT}`,
        String(CONCURRENT - present),
        fmt(wall),
        String(target.requests() - before),
      ],
    ]);
    if (failures.length) {
      process.stdout.write(`failures:\n  ${failures.join('\n  ')}\n`);
    }
    if (ready !== CONCURRENT || present !== CONCURRENT || !fastEnough) {
      process.exitCode = 1;
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
    await target.close();
  }
}

main().catch(e => {
  process.stderr.write(`${e?.stack ?? e}\n`);
  process.exit(1);
});
