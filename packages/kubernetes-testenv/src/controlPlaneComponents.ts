import path from 'node:path';
import { ApiClient } from './ApiClient';
import { TestEnvBinaries } from './binaries';
import { ManagedProcess } from './ManagedProcess';

// Starting the control plane's processes: one function per component with
// its command line, and what shows that it is up.

/** The range Services get their cluster IPs from. */
export const SERVICE_CIDR = '10.96.0.0/16';
/** The cluster IP of the `kubernetes` Service, in the serving certificate. */
export const SERVICE_IP = '10.96.0.1';

/** What every component needs: its binary, a log folder and the shared process list. */
export type ComponentContext = {
  bins: TestEnvBinaries;
  workDir: string;
  /** When start-up gives up (epoch ms). */
  deadline: number;
  /** Every process started so far, in start order; stopped in reverse. */
  processes: ManagedProcess[];
};

function run(
  ctx: ComponentContext,
  name: string,
  command: string,
  args: string[],
): ManagedProcess {
  const p = new ManagedProcess(
    name,
    command,
    args,
    path.join(ctx.workDir, 'logs', `${name}.log`),
  );
  ctx.processes.push(p);
  return p;
}

/** Polls `check` until it returns a value, the deadline passes or a process died. */
export async function waitFor<T>(
  what: string,
  deadline: number,
  processes: ManagedProcess[],
  check: () => Promise<T | undefined>,
): Promise<T> {
  let last = '';
  for (let delay = 100; ; delay = Math.min(delay * 1.5, 1000)) {
    for (const p of processes) p.assertRunning();
    try {
      const value = await check();
      if (value !== undefined) return value;
    } catch (e) {
      last = (e as Error).message;
    }
    if (Date.now() > deadline) {
      throw new Error(
        `Timed out waiting for ${what}${last ? ` (last error: ${last})` : ''}`,
      );
    }
    await new Promise(r => setTimeout(r, delay));
  }
}

/** Starts etcd and waits until it is healthy; returns its client URL. */
export async function startEtcd(
  ctx: ComponentContext,
  port: number,
  peerPort: number,
): Promise<string> {
  const etcdUrl = `http://127.0.0.1:${port}`;
  run(ctx, 'etcd', ctx.bins.etcd, [
    `--data-dir=${path.join(ctx.workDir, 'etcd')}`,
    `--listen-client-url=${etcdUrl}`,
    `--listen-peer-url=http://127.0.0.1:${peerPort}`,
  ]);
  await waitFor('etcd /health', ctx.deadline, ctx.processes, async () => {
    const res = await fetch(`${etcdUrl}/health`);
    const body = (await res.json()) as { health?: string };
    return body.health === 'true' ? true : undefined;
  });
  return etcdUrl;
}

/** Starts kube-apiserver with RBAC and service account tokens. */
export function startKubeApiserver(
  ctx: ComponentContext,
  options: {
    etcdUrl: string;
    apiPort: number;
    servingCert: string;
    servingKey: string;
    caFile: string;
    saPub: string;
    saKey: string;
  },
) {
  run(ctx, 'kube-apiserver', ctx.bins.kubeApiserver, [
    `--etcd-servers=${options.etcdUrl}`,
    '--bind-address=127.0.0.1',
    '--advertise-address=127.0.0.1',
    `--secure-port=${options.apiPort}`,
    `--tls-cert-file=${options.servingCert}`,
    `--tls-private-key-file=${options.servingKey}`,
    `--client-ca-file=${options.caFile}`,
    '--authorization-mode=RBAC',
    '--service-account-issuer=https://kubernetes.default.svc.cluster.local',
    `--service-account-key-file=${options.saPub}`,
    `--service-account-signing-key-file=${options.saKey}`,
    `--service-cluster-ip-range=${SERVICE_CIDR}`,
    '--allow-privileged=true',
    '--profiling=false',
    `--cert-dir=${path.join(ctx.workDir, 'apiserver-certs')}`,
    '--v=1',
  ]);
}

/** Waits until kube-apiserver answers `/readyz` with `ok`. */
export async function waitForApiserver(ctx: ComponentContext, api: ApiClient) {
  await waitFor(
    'kube-apiserver /readyz',
    ctx.deadline,
    ctx.processes,
    async () =>
      (await api.request('GET', '/readyz', undefined, undefined, 5000)) === 'ok'
        ? true
        : undefined,
  );
}

/** How the controller manager and scheduler reach and trust the API server. */
function adminClientFlags(adminKubeconfig: string): string[] {
  return [
    `--kubeconfig=${adminKubeconfig}`,
    `--authentication-kubeconfig=${adminKubeconfig}`,
    `--authorization-kubeconfig=${adminKubeconfig}`,
    '--leader-elect=false',
    '--secure-port=0',
  ];
}

/** Starts kube-controller-manager (without the cloud and IPAM controllers). */
export function startControllerManager(
  ctx: ComponentContext,
  options: { adminKubeconfig: string; saKey: string; caFile: string },
) {
  const { adminKubeconfig } = options;
  run(ctx, 'kube-controller-manager', ctx.bins.kubeControllerManager, [
    ...adminClientFlags(adminKubeconfig),
    '--use-service-account-credentials=true',
    `--service-account-private-key-file=${options.saKey}`,
    `--root-ca-file=${options.caFile}`,
    `--service-cluster-ip-range=${SERVICE_CIDR}`,
    '--controllers=*,-nodeipam,-cloud-node-lifecycle,-service-lb-controller,-node-route-controller',
    '--v=1',
  ]);
}

/** Starts kube-scheduler. */
export function startScheduler(ctx: ComponentContext, adminKubeconfig: string) {
  run(ctx, 'kube-scheduler', ctx.bins.kubeScheduler, [
    ...adminClientFlags(adminKubeconfig),
    '--v=1',
  ]);
}

/** A fake node for kwok to manage, with `gpus` NVIDIA GPUs. */
export function fakeNode(name: string, gpus: number) {
  const resources: Record<string, string> = {
    cpu: '64',
    memory: '512Gi',
    pods: '250',
    'ephemeral-storage': '1Ti',
    ...(gpus > 0 ? { 'nvidia.com/gpu': String(gpus) } : {}),
  };
  return {
    apiVersion: 'v1',
    kind: 'Node',
    metadata: {
      name,
      annotations: {
        'kwok.x-k8s.io/node': 'fake',
        'node.alpha.kubernetes.io/ttl': '0',
      },
      labels: {
        'kubernetes.io/hostname': name,
        'kubernetes.io/os': 'linux',
        'kubernetes.io/arch': 'amd64',
        type: 'kwok',
        ...(gpus > 0 ? { 'nvidia.com/gpu.present': 'true' } : {}),
      },
    },
    status: { allocatable: resources, capacity: resources },
  };
}

/** Starts kwok, which runs the pods of the nodes annotated as fake. */
export function startKwok(ctx: ComponentContext, adminKubeconfig: string) {
  run(ctx, 'kwok', ctx.bins.kwok, [
    `--kubeconfig=${adminKubeconfig}`,
    `--config=${ctx.bins.kwokStages}`,
    '--manage-all-nodes=false',
    '--manage-nodes-with-annotation-selector=kwok.x-k8s.io/node=fake',
    '--cidr=10.244.0.0/16',
    '--node-ip=10.0.0.1',
    '--node-lease-duration-seconds=40',
  ]);
}
