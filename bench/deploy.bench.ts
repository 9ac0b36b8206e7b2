/*
 * Deploy benchmark, against the Kubernetes sandbox:
 *
 * 1. The same manifests (a vLLM model: Deployment + Service) applied 50 times
 *    by our apply path (ModelDeployer: ownership GETs, server dry-run,
 *    server-side apply; no readiness wait) and 50 times by
 *    `kubectl apply --server-side -f` (one process per apply, as a person
 *    runs it). Prints wall time per apply, API calls per apply (from the
 *    sandbox's request log) and the ratio.
 * 2. 20 concurrent deploys into 20 namespaces, each waiting until Ready:
 *    all must be Ready and none lost.
 *
 * Run with `yarn bench deploy`.
 */
import { startKubernetesSandbox } from '@aic/kubernetes-sandbox';
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

const RUNS = 50;
/** Applies before measuring, for JIT warm-up and kubectl's discovery cache. */
const WARMUP = 5;
const CONCURRENT = 20;
const TOKEN = 'bench-token-not-a-secret';

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

/** Runs a process without blocking the event loop (the sandbox lives in this process). */
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
  const sandbox = await startKubernetesSandbox({
    tokens: { [TOKEN]: namespaces },
    namespaces,
    rolloutDelayMs: 100,
  });
  const dir = mkdtempSync(join(tmpdir(), 'deploy-bench-'));
  try {
    const clusters = new ClusterRegistry([
      {
        name: 'sandbox',
        url: sandbox.url,
        authProvider: 'serviceAccount',
        serviceAccountToken: TOKEN,
        caData: sandbox.caData,
        skipTLSVerify: false,
      },
    ]);
    const deployer = new ModelDeployer({
      clusters,
      logger: silentLogger,
      pollIntervalMs: 50,
    });

    // 1a. our apply path
    const ours = { ms: [] as number[], calls: [] as number[] };
    const oursObjects = render('bench-ours');
    for (let i = -WARMUP; i < RUNS; i++) {
      const before = sandbox.requestLog.length;
      const start = performance.now();
      await deployer.deploy({
        cluster: 'sandbox',
        objects: oursObjects,
        noWait: true,
      });
      if (i >= 0) {
        ours.ms.push(performance.now() - start);
        ours.calls.push(sandbox.requestLog.length - before);
      }
    }

    // 1b. kubectl apply --server-side, one process per apply
    const kubectl = { ms: [] as number[], calls: [] as number[] };
    const kubectlAvailable = hasKubectl();
    if (kubectlAvailable) {
      const kubeconfig = join(dir, 'kubeconfig');
      const manifests = join(dir, 'manifests.yaml');
      sandbox.writeKubeconfig(kubeconfig);
      writeFileSync(
        manifests,
        render('bench-kubectl')
          .map(o => stringify(o))
          .join('---\n'),
      );
      for (let i = -WARMUP; i < RUNS; i++) {
        const before = sandbox.requestLog.length;
        const start = performance.now();
        const result = await run(
          'kubectl',
          [
            '--kubeconfig',
            kubeconfig,
            'apply',
            '--server-side',
            '-f',
            manifests,
          ],
          { ...process.env, HOME: dir },
        );
        if (i >= 0) {
          kubectl.ms.push(performance.now() - start);
          kubectl.calls.push(sandbox.requestLog.length - before);
        }
        if (result.status !== 0) {
          throw new Error(`kubectl apply failed: ${result.stderr}`);
        }
      }
    }

    process.stdout.write(
      `\nApply of the same ${oursObjects.length} objects (Deployment + Service), ${RUNS} times each after ${WARMUP} warm-up applies\n\n`,
    );
    const o = stats(ours.ms);
    const oc = stats(ours.calls);
    const rows = [
      ['path', 'p50 ms', 'p95 ms', 'mean ms', 'API calls/apply (mean)'],
      [
        'ModelDeployer (GET + dry-run + SSA)',
        fmt(o.p50),
        fmt(o.p95),
        fmt(o.mean),
        fmt(oc.mean, 2),
      ],
    ];
    if (kubectlAvailable) {
      const k = stats(kubectl.ms);
      const kc = stats(kubectl.calls);
      rows.push([
        'kubectl apply --server-side',
        fmt(k.p50),
        fmt(k.p95),
        fmt(k.mean),
        fmt(kc.mean, 2),
      ]);
      rows.push([
        'ratio kubectl / ours',
        `${fmt(k.p50 / o.p50)}x`,
        `${fmt(k.p95 / o.p95)}x`,
        `${fmt(k.mean / o.mean)}x`,
        `${fmt(kc.mean / oc.mean, 2)}x`,
      ]);
    } else {
      rows.push(['kubectl (not installed: skipped)', '-', '-', '-', '-']);
    }
    table(rows);

    // 2. concurrent deploys, each until Ready
    const before = sandbox.requestLog.length;
    const start = performance.now();
    const results = await Promise.allSettled(
      Array.from({ length: CONCURRENT }, (_, i) =>
        deployer.deploy({
          cluster: 'sandbox',
          objects: render(`bench-${i}`),
          timeoutMs: 60_000,
        }),
      ),
    );
    const wall = performance.now() - start;
    const ready = results.filter(
      r => r.status === 'fulfilled' && r.value.readiness?.state === 'ready',
    ).length;
    const present = Array.from({ length: CONCURRENT }, (_, i) =>
      render(`bench-${i}`).every(m =>
        sandbox.getObject(m.apiVersion, m.kind, `bench-${i}`, m.metadata.name),
      ),
    ).filter(Boolean).length;
    const failures = results
      .filter((r): r is PromiseRejectedResult => r.status === 'rejected')
      .map(r => String(r.reason?.message ?? r.reason));

    process.stdout.write(
      `\n${CONCURRENT} concurrent deploys into ${CONCURRENT} namespaces (rollout delay 100 ms)\n\n`,
    );
    table([
      ['deploys', 'ready', 'objects present', 'lost', 'wall ms', 'API calls'],
      [
        String(CONCURRENT),
        String(ready),
        `${present}/${CONCURRENT}`,
        String(CONCURRENT - present),
        fmt(wall),
        String(sandbox.requestLog.length - before),
      ],
    ]);
    if (failures.length) {
      process.stdout.write(`failures:\n  ${failures.join('\n  ')}\n`);
    }
    if (ready !== CONCURRENT || present !== CONCURRENT) {
      process.exitCode = 1;
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
    await sandbox.close();
  }
}

main().catch(e => {
  process.stderr.write(`${e?.stack ?? e}\n`);
  process.exit(1);
});
