import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import YAML from 'yaml';
import { ApiClient, ApiError } from './ApiClient';
import { findTestEnvBinaries } from './binaries';
import { generateControlPlaneCertificates } from './certificates';
import { ManagedProcess } from './ManagedProcess';
import { TestOnlyInferenceServiceStatusWriter } from './TestOnlyInferenceServiceStatusWriter';
import {
  KubernetesTestEnv,
  KubernetesTestEnvOptions,
  TestEnvIdentity,
} from './types';

const SERVICE_CIDR = '10.96.0.0/16';
const SERVICE_IP = '10.96.0.1';
const TEAMS_NAMESPACE = 'aic-teams';
const SETUP_MANAGER = 'aic-kube-testenv';
const TOKEN_SECONDS = 48 * 60 * 60;

/**
 * The repository's examples/kubernetes/backstage-rbac.yaml (this package is
 * private and runs from its folder in the repository).
 *
 * @public
 */
export function defaultRbacFile(): string {
  return path.resolve(
    path.dirname(require.resolve('@aic/kubernetes-testenv/package.json')),
    '../../examples/kubernetes/backstage-rbac.yaml',
  );
}

function portRange(options: KubernetesTestEnvOptions): [number, number] {
  if (options.portRange) return options.portRange;
  const env = /^(\d+)-(\d+)$/.exec(process.env.AIC_TESTENV_PORTS ?? '');
  return env ? [Number(env[1]), Number(env[2])] : [17000, 17999];
}

function portFree(port: number): Promise<boolean> {
  return new Promise(resolve => {
    const server = net.createServer();
    server.once('error', () => resolve(false));
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
  });
}

/** `count` free ports from the range, tried in a random order. */
async function pickPorts(
  count: number,
  [from, to]: [number, number],
  taken: number[] = [],
): Promise<number[]> {
  const candidates: number[] = [];
  for (let p = from; p <= to; p++) if (!taken.includes(p)) candidates.push(p);
  for (let i = candidates.length - 1; i > 0; i--) {
    const j = Math.floor(Math.random() * (i + 1));
    [candidates[i], candidates[j]] = [candidates[j], candidates[i]];
  }
  const picked: number[] = [];
  for (const p of candidates) {
    if (picked.length === count) break;
    if (await portFree(p)) picked.push(p);
  }
  if (picked.length < count) {
    throw new Error(`No ${count} free ports between ${from} and ${to}`);
  }
  return picked;
}

const WORKDIR_PREFIX = 'aic-kube-testenv-';

/**
 * Removes temp folders of earlier test environments whose owner process is
 * gone (killed before it could stop them; the watchdog ended their
 * processes).
 */
function removeStaleWorkDirs() {
  for (const name of fs.readdirSync(os.tmpdir())) {
    if (!name.startsWith(WORKDIR_PREFIX)) continue;
    const dir = path.join(os.tmpdir(), name);
    let owner: number;
    try {
      owner = Number(fs.readFileSync(path.join(dir, 'owner.pid'), 'utf8'));
    } catch {
      continue; // being created right now, or not ours to judge
    }
    try {
      process.kill(owner, 0);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EPERM') {
        fs.rmSync(dir, { recursive: true, force: true });
      }
    }
  }
}

/** Polls `check` until it returns a value, the deadline passes or a process died. */
async function waitFor<T>(
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

function kubeconfigYaml(
  url: string,
  caData: string,
  users: Array<{
    name: string;
    token?: string;
    cert?: string;
    key?: string;
    namespace?: string;
  }>,
): string {
  return YAML.stringify({
    apiVersion: 'v1',
    kind: 'Config',
    clusters: [
      {
        name: 'testenv',
        cluster: { server: url, 'certificate-authority-data': caData },
      },
    ],
    users: users.map(u => ({
      name: u.name,
      user: u.token
        ? { token: u.token }
        : {
            'client-certificate-data': Buffer.from(u.cert!).toString('base64'),
            'client-key-data': Buffer.from(u.key!).toString('base64'),
          },
    })),
    contexts: users.map(u => ({
      name: u.name,
      context: {
        cluster: 'testenv',
        user: u.name,
        ...(u.namespace ? { namespace: u.namespace } : {}),
      },
    })),
    'current-context': users[0]?.name ?? '',
  });
}

function fakeNode(name: string, gpus: number) {
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

/**
 * Starts a real Kubernetes control plane on 127.0.0.1 from the binaries that
 * scripts/build-binaries.sh built: etcd, kube-apiserver (RBAC, service
 * account tokens, generated certificates), kube-controller-manager,
 * kube-scheduler and kwok with fake nodes (some with `nvidia.com/gpu`), so
 * Deployments roll out to Running, Ready pods. Installs the KServe CRDs from
 * the KServe module, the Backstage RBAC of examples/kubernetes, and a
 * ServiceAccount with a token per team bound in its namespaces only.
 *
 * @public
 */
export async function startKubernetesTestEnv(
  options: KubernetesTestEnvOptions = {},
): Promise<KubernetesTestEnv> {
  const log = options.log ?? (() => {});
  const started = Date.now();
  const deadline = started + (options.startTimeoutMs ?? 180_000);
  const bins = findTestEnvBinaries(options.cacheDir);
  const ownWorkDir = !options.workDir;
  if (ownWorkDir) removeStaleWorkDirs();
  const workDir =
    options.workDir ?? fs.mkdtempSync(path.join(os.tmpdir(), WORKDIR_PREFIX));
  fs.mkdirSync(path.join(workDir, 'logs'), { recursive: true });
  fs.writeFileSync(path.join(workDir, 'owner.pid'), String(process.pid));
  const file = (name: string, content: string) => {
    const p = path.join(workDir, name);
    fs.writeFileSync(p, content, { mode: 0o600 });
    return p;
  };

  const processes: ManagedProcess[] = [];
  let writer: TestOnlyInferenceServiceStatusWriter | undefined;
  let admin: ApiClient | undefined;
  const stopAll = async () => {
    await writer?.stop();
    admin?.close();
    for (const p of [...processes].reverse()) await p.stop();
    if (ownWorkDir) fs.rmSync(workDir, { recursive: true, force: true });
  };
  const run = (name: string, command: string, args: string[]) => {
    const p = new ManagedProcess(
      name,
      command,
      args,
      path.join(workDir, 'logs', `${name}.log`),
    );
    processes.push(p);
    return p;
  };

  try {
    const [apiPort, etcdPort, etcdPeerPort] = options.apiserverPort
      ? [
          options.apiserverPort,
          ...(await pickPorts(2, portRange(options), [options.apiserverPort])),
        ]
      : await pickPorts(3, portRange(options));
    const url = `https://127.0.0.1:${apiPort}`;

    log('generating certificates');
    const certs = generateControlPlaneCertificates({ serviceIp: SERVICE_IP });
    const caFile = file('ca.crt', certs.ca.certPem);
    const servingCert = file('apiserver.crt', certs.apiserver.certPem);
    const servingKey = file('apiserver.key', certs.apiserver.keyPem);
    const saPub = file('sa.pub', certs.serviceAccount.publicKeyPem);
    const saKey = file('sa.key', certs.serviceAccount.privateKeyPem);
    const caData = Buffer.from(certs.ca.certPem).toString('base64');
    const adminKubeconfig = file(
      'admin.kubeconfig',
      kubeconfigYaml(url, caData, [
        { name: 'admin', cert: certs.admin.certPem, key: certs.admin.keyPem },
      ]),
    );

    log(`starting etcd on 127.0.0.1:${etcdPort}`);
    const etcdUrl = `http://127.0.0.1:${etcdPort}`;
    run('etcd', bins.etcd, [
      `--data-dir=${path.join(workDir, 'etcd')}`,
      `--listen-client-url=${etcdUrl}`,
      `--listen-peer-url=http://127.0.0.1:${etcdPeerPort}`,
    ]);
    await waitFor('etcd /health', deadline, processes, async () => {
      const res = await fetch(`${etcdUrl}/health`);
      const body = (await res.json()) as { health?: string };
      return body.health === 'true' ? true : undefined;
    });

    log(`starting kube-apiserver on ${url}`);
    run('kube-apiserver', bins.kubeApiserver, [
      `--etcd-servers=${etcdUrl}`,
      '--bind-address=127.0.0.1',
      '--advertise-address=127.0.0.1',
      `--secure-port=${apiPort}`,
      `--tls-cert-file=${servingCert}`,
      `--tls-private-key-file=${servingKey}`,
      `--client-ca-file=${caFile}`,
      '--authorization-mode=RBAC',
      '--service-account-issuer=https://kubernetes.default.svc.cluster.local',
      `--service-account-key-file=${saPub}`,
      `--service-account-signing-key-file=${saKey}`,
      `--service-cluster-ip-range=${SERVICE_CIDR}`,
      '--allow-privileged=true',
      '--profiling=false',
      `--cert-dir=${path.join(workDir, 'apiserver-certs')}`,
      '--v=1',
    ]);
    admin = new ApiClient({
      url,
      caPem: certs.ca.certPem,
      clientCertPem: certs.admin.certPem,
      clientKeyPem: certs.admin.keyPem,
    });
    const api = admin;
    await waitFor('kube-apiserver /readyz', deadline, processes, async () =>
      (await api.request('GET', '/readyz', undefined, undefined, 5000)) === 'ok'
        ? true
        : undefined,
    );

    log('starting kube-controller-manager and kube-scheduler');
    run('kube-controller-manager', bins.kubeControllerManager, [
      `--kubeconfig=${adminKubeconfig}`,
      `--authentication-kubeconfig=${adminKubeconfig}`,
      `--authorization-kubeconfig=${adminKubeconfig}`,
      '--leader-elect=false',
      '--secure-port=0',
      '--use-service-account-credentials=true',
      `--service-account-private-key-file=${saKey}`,
      `--root-ca-file=${caFile}`,
      `--service-cluster-ip-range=${SERVICE_CIDR}`,
      '--controllers=*,-nodeipam,-cloud-node-lifecycle,-service-lb-controller,-node-route-controller',
      '--v=1',
    ]);
    run('kube-scheduler', bins.kubeScheduler, [
      `--kubeconfig=${adminKubeconfig}`,
      `--authentication-kubeconfig=${adminKubeconfig}`,
      `--authorization-kubeconfig=${adminKubeconfig}`,
      '--leader-elect=false',
      '--secure-port=0',
      '--v=1',
    ]);

    log('installing the KServe CRDs');
    const crds = YAML.parseAllDocuments(
      fs.readFileSync(bins.kserveCrds, 'utf8'),
    )
      .map(d => d.toJSON())
      .filter(d => d?.kind === 'CustomResourceDefinition');
    for (const crd of crds) await api.apply(crd, SETUP_MANAGER);

    log('creating fake nodes');
    const nodes: string[] = [];
    for (let i = 0; i < (options.cpuNodes ?? 2); i++) {
      nodes.push(`kwok-cpu-${i}`);
      await api.apply(fakeNode(`kwok-cpu-${i}`, 0), SETUP_MANAGER);
    }
    for (let i = 0; i < (options.gpuNodes ?? 2); i++) {
      nodes.push(`kwok-gpu-${i}`);
      await api.apply(fakeNode(`kwok-gpu-${i}`, 8), SETUP_MANAGER);
    }
    run('kwok', bins.kwok, [
      `--kubeconfig=${adminKubeconfig}`,
      `--config=${bins.kwokStages}`,
      '--manage-all-nodes=false',
      '--manage-nodes-with-annotation-selector=kwok.x-k8s.io/node=fake',
      '--cidr=10.244.0.0/16',
      '--node-ip=10.0.0.1',
      '--node-lease-duration-seconds=40',
    ]);

    // RBAC: the Backstage service account's roles (and namespaces its
    // RoleBindings name), then one ServiceAccount per team.
    const rbacDocs = YAML.parseAllDocuments(
      fs.readFileSync(options.rbacFile ?? defaultRbacFile(), 'utf8'),
    )
      .map(d => d.toJSON())
      .filter(Boolean);
    const teams = options.teams ?? {};
    const namespaces = new Set<string>([
      TEAMS_NAMESPACE,
      ...(options.namespaces ?? []),
      ...Object.values(teams).flat(),
      ...rbacDocs.filter(d => d.kind === 'Namespace').map(d => d.metadata.name),
      ...rbacDocs
        .map(d => d.metadata?.namespace)
        .filter((n): n is string => Boolean(n)),
    ]);
    log(`creating namespaces ${[...namespaces].join(', ')}`);
    for (const ns of namespaces) {
      await api.apply(
        { apiVersion: 'v1', kind: 'Namespace', metadata: { name: ns } },
        SETUP_MANAGER,
      );
    }
    log('applying the Backstage RBAC and team service accounts');
    for (const doc of rbacDocs) await api.apply(doc, SETUP_MANAGER);
    for (const [team, teamNamespaces] of Object.entries(teams)) {
      const sa = `team-${team}`;
      await api.apply(
        {
          apiVersion: 'v1',
          kind: 'ServiceAccount',
          metadata: { name: sa, namespace: TEAMS_NAMESPACE },
        },
        SETUP_MANAGER,
      );
      for (const ns of teamNamespaces) {
        await api.apply(
          {
            apiVersion: 'rbac.authorization.k8s.io/v1',
            kind: 'RoleBinding',
            metadata: {
              name: `${sa}-model-marketplace-deployer`,
              namespace: ns,
            },
            roleRef: {
              apiGroup: 'rbac.authorization.k8s.io',
              kind: 'ClusterRole',
              name: 'model-marketplace-deployer',
            },
            subjects: [
              { kind: 'ServiceAccount', name: sa, namespace: TEAMS_NAMESPACE },
            ],
          },
          SETUP_MANAGER,
        );
      }
    }

    const token = async (namespace: string, name: string) => {
      const answer = await api.request(
        'POST',
        `/api/v1/namespaces/${namespace}/serviceaccounts/${name}/token`,
        {
          apiVersion: 'authentication.k8s.io/v1',
          kind: 'TokenRequest',
          spec: { expirationSeconds: TOKEN_SECONDS },
        },
      );
      return answer.status.token as string;
    };
    const tokens: Record<string, string> = {};
    for (const team of Object.keys(teams)) {
      tokens[team] = await token(TEAMS_NAMESPACE, `team-${team}`);
    }
    const backstageToken = await token('backstage', 'backstage');

    log('waiting for the CRDs, nodes and default service accounts');
    await waitFor(
      'the KServe CRDs to be established',
      deadline,
      processes,
      async () => {
        for (const crd of crds) {
          const live = await api.request(
            'GET',
            `/apis/apiextensions.k8s.io/v1/customresourcedefinitions/${crd.metadata.name}`,
          );
          const established = (live.status?.conditions ?? []).some(
            (c: any) => c.type === 'Established' && c.status === 'True',
          );
          if (!established) return undefined;
        }
        return true;
      },
    );
    // an established CRD can still answer 429 "storage is (re)initializing"
    await waitFor('InferenceService storage', deadline, processes, async () => {
      await api.request(
        'GET',
        '/apis/serving.kserve.io/v1beta1/inferenceservices?limit=1',
      );
      if (
        crds.some(
          crd =>
            crd.metadata?.name === 'llminferenceservices.serving.kserve.io',
        )
      ) {
        await api.request(
          'GET',
          '/apis/serving.kserve.io/v1alpha1/llminferenceservices?limit=1',
        );
      }
      return true;
    });
    await waitFor(
      'the fake nodes to be Ready',
      deadline,
      processes,
      async () => {
        const list = await api.request('GET', '/api/v1/nodes');
        const ready = (list.items ?? []).filter(
          (n: any) =>
            (n.status?.conditions ?? []).some(
              (c: any) => c.type === 'Ready' && c.status === 'True',
            ) &&
            !(n.spec?.taints ?? []).some((t: any) => t.effect === 'NoSchedule'),
        );
        return ready.length >= nodes.length ? true : undefined;
      },
    );
    await waitFor(
      'the default service accounts',
      deadline,
      processes,
      async () => {
        for (const ns of namespaces) {
          try {
            await api.request(
              'GET',
              `/api/v1/namespaces/${ns}/serviceaccounts/default`,
            );
          } catch (e) {
            if (e instanceof ApiError && e.status === 404) return undefined;
            throw e;
          }
        }
        return true;
      },
    );

    if (options.kserveStatusWriter !== false) {
      writer = new TestOnlyInferenceServiceStatusWriter(api, {
        onError: e => log(`kserve status writer: ${e.message}`),
      });
      writer.start();
    }

    const identities: TestEnvIdentity[] = [
      ...Object.entries(teams).map(([name, ns]) => ({
        name,
        token: tokens[name],
        namespaces: ns,
      })),
      { name: 'backstage', token: backstageToken, namespaces: '*' as const },
    ];
    const render = () =>
      kubeconfigYaml(url, caData, [
        ...identities.map(i => ({
          name: i.name,
          token: i.token,
          namespace: Array.isArray(i.namespaces) ? i.namespaces[0] : undefined,
        })),
        { name: 'admin', cert: certs.admin.certPem, key: certs.admin.keyPem },
      ]);
    const kubeconfig = file('kubeconfig', render());
    log(
      `control plane ready at ${url} in ${Math.round(
        (Date.now() - started) / 1000,
      )}s`,
    );

    let stopped: Promise<void> | undefined;
    return {
      url,
      caData,
      caPem: certs.ca.certPem,
      servingCertPem: certs.apiserver.certPem,
      servingKeyPem: certs.apiserver.keyPem,
      adminKubeconfig,
      kubeconfig,
      tokens,
      backstageToken,
      nodes,
      workDir,
      pids: Object.fromEntries(processes.map(p => [p.name, p.pid])),
      writeKubeconfig(target: string) {
        fs.writeFileSync(target, render(), { mode: 0o600 });
      },
      stop() {
        stopped ??= stopAll();
        return stopped;
      },
    };
  } catch (error) {
    const logs = processes
      .map(p => `--- ${p.name} (${p.logFile}) ---\n${p.logTail(8)}`)
      .join('\n');
    await stopAll().catch(() => {});
    if (error instanceof Error) {
      error.message = `The Kubernetes test environment did not start: ${error.message}\n${logs}`;
    }
    throw error;
  }
}
