/*
 * Where the deploy benchmark (bench/deploy.bench.ts) runs: a real control
 * plane (@aic/kubernetes-testenv) behind a counting proxy, or the Kubernetes
 * sandbox, each with a kubeconfig writer and a presence check.
 */
import { startKubernetesSandbox } from '@aic/kubernetes-sandbox';
import {
  startFaultProxy,
  startKubernetesTestEnv,
} from '@aic/kubernetes-testenv';
import { KubeConfig, KubernetesObjectApi } from '@kubernetes/client-node';
import type { KubernetesManifest } from '@aic/plugin-model-marketplace-node';
import { execFileSync } from 'node:child_process';
import { stringify } from 'yaml';

/** The bearer token of the sandbox target. */
export const SANDBOX_TOKEN = 'bench-token-not-a-secret';

/** Where the benchmark runs: URLs, token and how to count API calls. */
export interface Target {
  description: string;
  url: string;
  caData: string;
  token: string;
  /** A URL whose requests are counted, and the count so far. */
  countedUrl: string;
  requests(): number;
  /** Whether every object of these manifests exists. */
  present(manifests: KubernetesManifest[]): Promise<boolean>;
  close(): Promise<void>;
}

export function kubeconfigFor(url: string, caData: string, token: string) {
  return stringify({
    apiVersion: 'v1',
    kind: 'Config',
    clusters: [
      {
        name: 'bench',
        cluster: { server: url, 'certificate-authority-data': caData },
      },
    ],
    users: [{ name: 'bench', user: { token } }],
    contexts: [{ name: 'bench', context: { cluster: 'bench', user: 'bench' } }],
    'current-context': 'bench',
  });
}

export async function realTarget(namespaces: string[]): Promise<Target> {
  const env = await startKubernetesTestEnv({
    teams: { bench: namespaces },
    // 22 one-GPU pods at once: 4 nodes with 8 GPUs each
    gpuNodes: 4,
    log: line => process.stdout.write(`[kube-testenv] ${line}\n`),
  });
  const proxy = await startFaultProxy({
    target: env.url,
    caPem: env.caPem,
    certPem: env.servingCertPem,
    keyPem: env.servingKeyPem,
  });
  const kc = new KubeConfig();
  kc.loadFromFile(env.adminKubeconfig);
  const admin = KubernetesObjectApi.makeApiClient(kc);
  const version = execFileSync('kubectl', [
    '--kubeconfig',
    env.adminKubeconfig,
    'version',
    '-o',
    'json',
  ]);
  return {
    description: `a real control plane (kube-apiserver ${
      JSON.parse(String(version)).serverVersion.gitVersion
    }, controller-manager, scheduler, etcd, kwok)`,
    url: env.url,
    caData: env.caData,
    token: env.tokens.bench,
    countedUrl: proxy.url,
    requests: () => proxy.requestLog.length,
    async present(manifests) {
      for (const m of manifests) {
        try {
          await admin.read({
            apiVersion: m.apiVersion,
            kind: m.kind,
            metadata: {
              name: m.metadata.name,
              namespace: m.metadata.namespace ?? 'default',
            },
          });
        } catch {
          return false;
        }
      }
      return true;
    },
    async close() {
      await proxy.close();
      await env.stop();
    },
  };
}

export async function sandboxTarget(namespaces: string[]): Promise<Target> {
  const sandbox = await startKubernetesSandbox({
    tokens: { [SANDBOX_TOKEN]: namespaces },
    namespaces,
    rolloutDelayMs: 100,
  });
  return {
    description: 'the Kubernetes sandbox (rollout delay 100 ms)',
    url: sandbox.url,
    caData: sandbox.caData,
    token: SANDBOX_TOKEN,
    countedUrl: sandbox.url,
    requests: () => sandbox.requestLog.length,
    async present(manifests) {
      return manifests.every(m =>
        sandbox.getObject(
          m.apiVersion,
          m.kind,
          m.metadata.namespace!,
          m.metadata.name,
        ),
      );
    },
    close: () => sandbox.close(),
  };
}
