import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import YAML from 'yaml';
import { ApiClient, ApiError } from './ApiClient';
import { findTestEnvBinaries } from './binaries';
import { generateControlPlaneCertificates } from './certificates';
import {
  ComponentContext,
  SERVICE_IP,
  fakeNode,
  startControllerManager,
  startEtcd,
  startKubeApiserver,
  startKwok,
  startScheduler,
  waitFor,
  waitForApiserver,
} from './controlPlaneComponents';
import { kubeconfigYaml } from './kubeconfigYaml';
import { ManagedProcess } from './ManagedProcess';
import { pickPorts, portRange } from './ports';
import { TestOnlyInferenceServiceStatusWriter } from './TestOnlyInferenceServiceStatusWriter';
import {
  KubernetesTestEnv,
  KubernetesTestEnvOptions,
  TestEnvIdentity,
} from './types';

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
  const components: ComponentContext = { bins, workDir, deadline, processes };

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
    const etcdUrl = await startEtcd(components, etcdPort, etcdPeerPort);

    log(`starting kube-apiserver on ${url}`);
    startKubeApiserver(components, {
      etcdUrl,
      apiPort,
      servingCert,
      servingKey,
      caFile,
      saPub,
      saKey,
    });
    admin = new ApiClient({
      url,
      caPem: certs.ca.certPem,
      clientCertPem: certs.admin.certPem,
      clientKeyPem: certs.admin.keyPem,
    });
    const api = admin;
    await waitForApiserver(components, api);

    log('starting kube-controller-manager and kube-scheduler');
    startControllerManager(components, { adminKubeconfig, saKey, caFile });
    startScheduler(components, adminKubeconfig);

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
    startKwok(components, adminKubeconfig);

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
