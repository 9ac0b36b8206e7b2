/*
 * The deployer against a real control plane (@aic/kubernetes-testenv):
 * kube-apiserver with RBAC and the KServe CRDs, controller-manager,
 * scheduler and kwok nodes. Every request of the code under test goes
 * through a fault-injecting TLS proxy in front of the apiserver, which also
 * logs it; the tests read the cluster with an admin client straight from
 * the apiserver.
 */
import {
  FaultProxy,
  SharedTestEnv,
  TEST_TEAMS,
  connectSharedTestEnv,
  startFaultProxy,
  testEnvAvailable,
} from '@aic/kubernetes-testenv';
import { ConflictError, NotAllowedError } from '@backstage/errors';
import {
  KubeConfig,
  KubernetesObject,
  KubernetesObjectApi,
  PatchStrategy,
} from '@kubernetes/client-node';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { ClusterRegistry } from './ClusterRegistry';
import {
  DeployCancelledError,
  RolloutFailedError,
  RolloutTimeoutError,
} from './errors';
import { evaluateReadiness } from './evaluateReadiness';
import { KubernetesDeploymentStatusReader } from './KubernetesDeploymentStatusReader';
import { ModelDeployer } from './ModelDeployer';
import { renderModelManifests } from './renderModelManifests';
import { KubernetesManifest } from './types';
import { capturingLogger } from './testUtils';
import { testModels } from './__testUtils__/models';

const exec = promisify(execFile);

// Real controllers on a busy 2-core machine: generous bounds, and every wait
// is on a condition, never a fixed sleep.
jest.setTimeout(240_000);

/** More GPUs than any fake node has: the pod stays Pending, never Ready. */
function unschedulable(manifest: KubernetesManifest): KubernetesManifest {
  const copy = structuredClone(manifest);
  const containers =
    copy.kind === 'InferenceService'
      ? [copy.spec.predictor.model]
      : copy.spec.template.spec.containers;
  for (const c of containers) {
    c.resources = {
      requests: { ...c.resources?.requests, 'nvidia.com/gpu': '99' },
      limits: { ...c.resources?.limits, 'nvidia.com/gpu': '99' },
    };
  }
  return copy;
}

const describeReal = testEnvAvailable() ? describe : describe.skip;

/** What a test here may leave in a namespace, including garbage-collected children. */
const WORKLOAD_KINDS = [
  ['serving.kserve.io/v1beta1', 'InferenceService'],
  ['apps/v1', 'Deployment'],
  ['v1', 'Service'],
  ['apps/v1', 'ReplicaSet'],
  ['v1', 'Pod'],
] as const;

describeReal('ModelDeployer on a real Kubernetes control plane', () => {
  let env: SharedTestEnv;
  let proxy: FaultProxy;
  let admin: KubernetesObjectApi;
  let adminConfig: KubeConfig;
  let logger: ReturnType<typeof capturingLogger>;
  let deployer: ModelDeployer;
  let clusters: ClusterRegistry;
  const errors: string[] = [];

  beforeAll(async () => {
    env = await connectSharedTestEnv();
    proxy = await startFaultProxy({
      target: env.url,
      caPem: env.caPem,
      certPem: env.servingCertPem,
      keyPem: env.servingKeyPem,
    });
    adminConfig = new KubeConfig();
    adminConfig.loadFromFile(env.adminKubeconfig);
    admin = KubernetesObjectApi.makeApiClient(adminConfig);
    logger = capturingLogger();
  });

  afterAll(async () => {
    // a shared control plane serves later suites (and the e2e journey):
    // leave the test namespaces empty
    if (admin) {
      const api = admin;
      const namespaces = Object.values(TEST_TEAMS).flat();
      const everything = async () => {
        const found: Array<{
          apiVersion: string;
          kind: string;
          metadata: any;
        }> = [];
        for (const ns of namespaces) {
          for (const [apiVersion, kind] of WORKLOAD_KINDS) {
            const list = await api.list(apiVersion, kind, ns);
            found.push(
              ...list.items.map(i => ({
                apiVersion,
                kind,
                metadata: i.metadata,
              })),
            );
          }
        }
        return found;
      };
      for (const item of await everything()) {
        await api.delete(item as any).catch(() => undefined);
      }
      await eventually(async () =>
        (await everything()).length === 0 ? true : undefined,
      );
    }
    await proxy?.close();
    await env?.release();
  });

  beforeEach(() => {
    clusters = new ClusterRegistry([
      {
        name: 'real',
        url: proxy.url,
        authProvider: 'serviceAccount',
        serviceAccountToken: env.tokens.deployer,
        caData: proxy.caData,
        skipTLSVerify: false,
      },
      {
        name: 'restricted',
        url: proxy.url,
        authProvider: 'serviceAccount',
        serviceAccountToken: env.tokens.other,
        caData: proxy.caData,
        skipTLSVerify: false,
      },
    ]);
    deployer = new ModelDeployer({
      clusters,
      logger,
      pollIntervalMs: 250,
      retry: { baseDelayMs: 50, maxDelayMs: 500 },
      requestTimeoutMs: 2000,
    });
    proxy.clearRequestLog();
  });

  async function expectFailure<T>(p: Promise<T>): Promise<Error> {
    try {
      await p;
    } catch (e) {
      errors.push(String((e as Error).message), JSON.stringify(e));
      return e as Error;
    }
    throw new Error('expected a failure');
  }

  /** The live object, read as admin straight from the apiserver. */
  async function live(
    apiVersion: string,
    kind: string,
    namespace: string,
    name: string,
  ): Promise<any | undefined> {
    try {
      return await admin.read({
        apiVersion,
        kind,
        metadata: { name, namespace },
      });
    } catch (e) {
      if ((e as { code?: number }).code === 404) return undefined;
      throw e;
    }
  }

  async function listPods(namespace: string, selector: string) {
    const list = await admin.list(
      'v1',
      'Pod',
      namespace,
      undefined,
      undefined,
      undefined,
      undefined,
      selector,
    );
    return list.items as any[];
  }

  async function eventually<T>(check: () => Promise<T | undefined>) {
    for (;;) {
      const value = await check();
      if (value !== undefined) return value;
      await new Promise(r => setTimeout(r, 250));
    }
  }

  /**
   * Waits until nothing of this deployment is left in the namespace:
   * objects, ReplicaSets and pods (app.kubernetes.io/instance=<name>).
   */
  async function expectNothingLeft(namespace: string, instance: string) {
    const selector = `app.kubernetes.io/instance=${instance}`;
    const deadline = Date.now() + 120_000;
    for (;;) {
      const left: string[] = [];
      for (const [apiVersion, kind] of [
        ['apps/v1', 'Deployment'],
        ['apps/v1', 'ReplicaSet'],
        ['v1', 'Service'],
        ['v1', 'Pod'],
        ['serving.kserve.io/v1beta1', 'InferenceService'],
      ]) {
        const list = await admin.list(
          apiVersion,
          kind,
          namespace,
          undefined,
          undefined,
          undefined,
          undefined,
          selector,
        );
        left.push(...list.items.map(i => `${kind} ${i.metadata?.name}`));
      }
      if (left.length === 0) return;
      if (Date.now() > deadline) {
        throw new Error(`left in ${namespace} after 120 s: ${left.join(', ')}`);
      }
      await new Promise(r => setTimeout(r, 250));
    }
  }

  async function kubectlRolloutStatus(namespace: string, name: string) {
    try {
      const { stdout } = await exec('kubectl', [
        '--kubeconfig',
        env.adminKubeconfig,
        '-n',
        namespace,
        'rollout',
        'status',
        `deployment/${name}`,
        '--watch=false',
      ]);
      return { ok: true, text: stdout };
    } catch (e) {
      return { ok: false, text: String((e as { stderr?: string }).stderr) };
    }
  }

  it.each(['vllm', 'tgi', 'container', 'kserve'] as const)(
    'deploys a %s model until real pods are Running and Ready',
    async runtime => {
      const rendered = renderModelManifests({
        model: testModels[runtime],
        team: 'team-a',
        namespace: 'team-a',
      });
      const progress: string[] = [];
      const result = await deployer.deploy({
        cluster: 'real',
        objects: rendered.objects,
        workload: rendered.workload,
        endpoint: rendered.endpoint,
        onProgress: m => progress.push(m),
      });
      expect(result.readiness?.state).toBe('ready');
      expect(result.created).toHaveLength(rendered.objects.length);
      for (const o of rendered.objects) {
        const obj = await live(o.apiVersion, o.kind, 'team-a', o.metadata.name);
        expect(obj.metadata.labels['app.kubernetes.io/managed-by']).toBe(
          'model-marketplace',
        );
        expect(
          obj.metadata.managedFields.some(
            (f: any) =>
              f.manager === 'model-marketplace' && f.operation === 'Apply',
          ),
        ).toBe(true);
      }
      // the pods the controllers made, scheduled by the real scheduler
      const pods = await listPods('team-a', `aic.dev/model=${rendered.model}`);
      expect(pods.length).toBeGreaterThanOrEqual(1);
      for (const pod of pods) {
        expect(pod.status.phase).toBe('Running');
        expect(pod.spec.nodeName).toMatch(/^kwok-/);
        const gpu = runtime === 'container' ? undefined : '1';
        const limits =
          pod.spec.containers[0].resources?.limits?.['nvidia.com/gpu'];
        expect(limits).toBe(gpu);
        // a GPU pod can only land on a node that has GPUs
        expect(pod.spec.nodeName).toMatch(gpu ? /^kwok-gpu-/ : /^kwok-/);
      }
      // KServe reports its own URL; the others get the Service's
      expect(result.endpoint).toBe(
        runtime === 'kserve'
          ? `http://${rendered.name}.team-a.svc.cluster.local`
          : rendered.endpoint,
      );
      // the Deployment that runs the pods (KServe's is <name>-predictor)
      const deployment = await live(
        'apps/v1',
        'Deployment',
        'team-a',
        runtime === 'kserve' ? `${rendered.name}-predictor` : rendered.name,
      );
      expect(deployment.status.availableReplicas).toBe(
        deployment.spec.replicas,
      );
      expect(progress).toContain('dry-run ok');
      expect(progress[progress.length - 1]).toMatch(/^ready at /);
    },
  );

  it('dry-run writes nothing', async () => {
    const rendered = renderModelManifests({
      model: testModels.vllm,
      team: 'team-b',
      namespace: 'team-b',
    });
    const writes = proxy.writeCount();
    const result = await deployer.deploy({
      cluster: 'real',
      objects: rendered.objects,
      dryRun: true,
    });
    expect(result.dryRun).toBe(true);
    expect(proxy.writeCount()).toBe(writes);
    expect(
      proxy.requestLog.filter(r => r.query.includes('dryRun=All')),
    ).toHaveLength(rendered.objects.length);
    for (const o of rendered.objects) {
      expect(
        await live(o.apiVersion, o.kind, 'team-b', o.metadata.name),
      ).toBeUndefined();
    }
  });

  it('re-running the same deploy is a no-op: same resourceVersion', async () => {
    const rendered = renderModelManifests({
      model: testModels.container,
      team: 'team-b',
      namespace: 'team-b',
    });
    const request = {
      cluster: 'real',
      objects: rendered.objects,
      workload: rendered.workload,
    };
    await deployer.deploy(request);
    // let the deployment controller finish its last status write
    await eventually(async () => {
      const d = await live('apps/v1', 'Deployment', 'team-b', rendered.name);
      const progressing = d.status?.conditions?.find(
        (c: any) => c.type === 'Progressing',
      );
      return progressing?.reason === 'NewReplicaSetAvailable'
        ? true
        : undefined;
    });
    const versions = () =>
      Promise.all(
        rendered.objects.map(
          async o =>
            (await live(o.apiVersion, o.kind, 'team-b', o.metadata.name))
              .metadata.resourceVersion,
        ),
      );
    const before = await versions();
    proxy.clearRequestLog();
    const again = await deployer.deploy(request);
    expect(again.created).toEqual([]);
    // the apply really reached the apiserver, which found nothing to change
    expect(
      proxy.requestLog.filter(
        r =>
          r.method === 'PATCH' &&
          !r.query.includes('dryRun') &&
          r.status === 200,
      ),
    ).toHaveLength(rendered.objects.length);
    expect(await versions()).toEqual(before);
  });

  it('reports a field conflict with another manager and rolls back what it created', async () => {
    const rendered = renderModelManifests({
      model: testModels.tgi,
      team: 'team-b',
      namespace: 'team-b',
      replicas: 1,
    });
    const theirs = structuredClone(rendered.objects[0]);
    theirs.spec.replicas = 3;
    await admin.patch(
      theirs as KubernetesObject,
      undefined,
      undefined,
      'kubectl',
      false,
      PatchStrategy.ServerSideApply,
    );
    const error = await expectFailure(
      deployer.deploy({ cluster: 'real', objects: rendered.objects }),
    );
    expect(error).toBeInstanceOf(ConflictError);
    expect(error.message).toContain('.spec.replicas');
    expect(error.message).toContain('kubectl');
    // the Service did not exist before this run: rolled back
    expect(
      await live('v1', 'Service', 'team-b', rendered.name),
    ).toBeUndefined();
    // the other manager's Deployment is untouched
    const d = await live('apps/v1', 'Deployment', 'team-b', rendered.name);
    expect(d.spec.replicas).toBe(3);
    await admin.delete(theirs as KubernetesObject);
  });

  it('never touches an object that is not managed by us', async () => {
    const rendered = renderModelManifests({
      model: testModels.vllm,
      team: 'team-c',
      namespace: 'team-c',
    });
    const foreign = structuredClone(rendered.objects[0]);
    foreign.metadata.labels = { 'app.kubernetes.io/managed-by': 'helm' };
    await admin.patch(
      foreign as KubernetesObject,
      undefined,
      undefined,
      'helm',
      false,
      PatchStrategy.ServerSideApply,
    );
    const generation = async () => {
      const o = await live('apps/v1', 'Deployment', 'team-c', rendered.name);
      return JSON.stringify({
        generation: o.metadata.generation,
        labels: o.metadata.labels,
        // who owns spec and metadata (the controller owns status)
        managers: o.metadata.managedFields
          .filter((f: any) => f.subresource !== 'status')
          .map((f: any) => f.manager),
        spec: o.spec,
      });
    };
    const before = await generation();
    const writes = proxy.writeCount();
    const error = await expectFailure(
      deployer.deploy({ cluster: 'real', objects: rendered.objects }),
    );
    expect(error).toBeInstanceOf(ConflictError);
    expect(error.message).toMatch(/not managed by model-marketplace/);
    expect(proxy.writeCount()).toBe(writes);
    expect(proxy.requestLog.filter(r => r.method !== 'GET')).toEqual([]);
    const undeployError = await expectFailure(
      deployer.undeploy({ cluster: 'real', objects: [rendered.workload] }),
    );
    expect(undeployError).toBeInstanceOf(ConflictError);
    expect(await generation()).toBe(before);
    await admin.delete(foreign as KubernetesObject);
  });

  it('fails fast on a real ProgressDeadlineExceeded and rolls back, leaving no pods', async () => {
    const rendered = renderModelManifests({
      model: testModels.vllm,
      version: '1.0.0-awq-int4',
      team: 'team-c',
      namespace: 'team-c',
    });
    const deployment = unschedulable(rendered.objects[0]);
    deployment.spec.progressDeadlineSeconds = 3;
    const objects = [deployment, rendered.objects[1]];
    const timeoutMs = 200_000;
    const started = Date.now();
    const error = await expectFailure(
      deployer.deploy({ cluster: 'real', objects, timeoutMs }),
    );
    expect(error).toBeInstanceOf(RolloutFailedError);
    expect(error.message).toMatch(/exceeded its progress deadline/);
    // the deployment controller's condition, not our timeout
    expect(Date.now() - started).toBeLessThan(timeoutMs / 2);
    await expectNothingLeft('team-c', rendered.name);
  });

  it('rolls back on timeout (KServe), but keeps objects an earlier run created', async () => {
    const rendered = renderModelManifests({
      model: testModels.kserve,
      team: 'team-d',
      namespace: 'team-d',
    });
    const error = await expectFailure(
      deployer.deploy({
        cluster: 'real',
        objects: [unschedulable(rendered.objects[0])],
        timeoutMs: 4000,
      }),
    );
    expect(error).toBeInstanceOf(RolloutTimeoutError);
    // the InferenceService, and with it (garbage collector) its Deployment and pods
    await expectNothingLeft('team-d', rendered.name);

    const ok = renderModelManifests({
      model: testModels.container,
      team: 'team-d',
      namespace: 'team-d',
    });
    await deployer.deploy({ cluster: 'real', objects: ok.objects });
    const update = renderModelManifests({
      model: testModels.container,
      team: 'team-d',
      namespace: 'team-d',
      replicas: 2,
    });
    await expectFailure(
      deployer.deploy({
        cluster: 'real',
        objects: [unschedulable(update.objects[0]), update.objects[1]],
        timeoutMs: 4000,
      }),
    );
    expect(
      await live('apps/v1', 'Deployment', 'team-d', ok.name),
    ).toBeDefined();
    expect(await live('v1', 'Service', 'team-d', ok.name)).toBeDefined();
    await deployer.undeploy({
      cluster: 'real',
      objects: [
        ok.workload,
        { ...ok.workload, apiVersion: 'v1', kind: 'Service' },
      ],
    });
    await expectNothingLeft('team-d', ok.name);
  });

  it('rolls back when cancelled while waiting for the rollout', async () => {
    const rendered = renderModelManifests({
      model: testModels.tgi,
      team: 'team-d',
      namespace: 'team-d',
    });
    const controller = new AbortController();
    const error = await expectFailure(
      deployer.deploy({
        cluster: 'real',
        objects: [unschedulable(rendered.objects[0]), rendered.objects[1]],
        signal: controller.signal,
        onProgress: m => {
          if (m.startsWith('waiting for rollout')) controller.abort();
        },
      }),
    );
    expect(error).toBeInstanceOf(DeployCancelledError);
    await expectNothingLeft('team-d', rendered.name);
  });

  it('cancels a request in flight', async () => {
    const rendered = renderModelManifests({
      model: testModels.container,
      team: 'team-b',
      namespace: 'team-b',
      version: '1.0.0',
      replicas: 3,
    });
    proxy.injectFaults({
      kind: 'slow',
      count: 2, // the two dry-run PATCHes, sent together
      delayMs: 6000,
      match: { method: 'PATCH' },
    });
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(), 300);
    const started = Date.now();
    const error = await expectFailure(
      deployer.deploy({
        cluster: 'real',
        objects: rendered.objects,
        signal: controller.signal,
      }),
    );
    clearTimeout(timer);
    expect(error).toBeInstanceOf(DeployCancelledError);
    expect(Date.now() - started).toBeLessThan(1900);
  });

  it.each(['429', '500', 'reset'] as const)(
    'retries %s answers from the proxy and succeeds on the real apiserver',
    async kind => {
      const rendered = renderModelManifests({
        model: testModels.vllm,
        team: 'team-a',
        namespace: 'team-a',
        replicas: 2,
      });
      proxy.injectFaults({
        kind,
        count: 2,
        retryAfterSeconds: kind === '429' ? 0 : undefined,
        match: { method: 'PATCH' },
      });
      const result = await deployer.deploy({
        cluster: 'real',
        objects: rendered.objects,
      });
      expect(result.readiness?.state).toBe('ready');
      const patches = proxy.requestLog.filter(r => r.method === 'PATCH');
      // a reset connection never gets an answer: logged with status 0
      const faultStatus = kind === 'reset' ? 0 : Number(kind);
      expect(patches.filter(r => r.status === faultStatus)).toHaveLength(2);
      expect(
        patches.filter(r => r.status === 200).length,
      ).toBeGreaterThanOrEqual(rendered.objects.length * 2);
      expect(logger.lines.some(l => l.includes('Retrying'))).toBe(true);
      const d = await live('apps/v1', 'Deployment', 'team-a', rendered.name);
      expect(d.status.availableReplicas).toBe(2);
    },
  );

  it('gives up on a slow answer after the request timeout and retries', async () => {
    const rendered = renderModelManifests({
      model: testModels.tgi,
      team: 'team-a',
      namespace: 'team-a',
      replicas: 2,
    });
    proxy.injectFaults({
      kind: 'slow',
      count: 1,
      delayMs: 6000,
      match: { method: 'GET' },
    });
    const started = Date.now();
    const result = await deployer.deploy({
      cluster: 'real',
      objects: rendered.objects,
    });
    expect(result.readiness?.state).toBe('ready');
    expect(logger.lines.some(l => l.includes('Retrying read'))).toBe(true);
    expect(Date.now() - started).toBeGreaterThan(2000);
  });

  it('gets a real 403 outside the team namespaces, reports it and does not retry', async () => {
    const rendered = renderModelManifests({
      model: testModels.vllm,
      team: 'team-a',
      namespace: 'team-a',
    });
    const error = await expectFailure(
      deployer.deploy({ cluster: 'restricted', objects: rendered.objects }),
    );
    expect(error).toBeInstanceOf(NotAllowedError);
    expect(error.message).toMatch(/forbidden/);
    expect(error.message).toContain(
      'system:serviceaccount:aic-teams:team-other',
    );
    const forbidden = proxy.requestLog.filter(r => r.status === 403);
    expect(forbidden.length).toBeGreaterThanOrEqual(1);
    expect(new Set(forbidden.map(r => `${r.method} ${r.path}`)).size).toBe(
      forbidden.length,
    );
    expect(proxy.requestLog.filter(r => r.method !== 'GET')).toHaveLength(0);
    expect(error.message).not.toContain(env.tokens.other);
  });

  it('judges readiness as kubectl rollout status does, on controller-written status', async () => {
    const rendered = renderModelManifests({
      model: testModels.container,
      team: 'team-c',
      namespace: 'team-c',
      replicas: 3,
    });
    await deployer.deploy({
      cluster: 'real',
      objects: rendered.objects,
      noWait: true,
    });
    const seen = new Set<string>();
    for (;;) {
      const before = await live(
        'apps/v1',
        'Deployment',
        'team-c',
        rendered.name,
      );
      const kubectl = await kubectlRolloutStatus('team-c', rendered.name);
      const after = await live(
        'apps/v1',
        'Deployment',
        'team-c',
        rendered.name,
      );
      if (before.metadata.resourceVersion !== after.metadata.resourceVersion) {
        continue; // status changed between the two reads: compare again
      }
      const ours = evaluateReadiness(after);
      seen.add(ours.state);
      expect(ours.state === 'ready').toBe(
        kubectl.ok && /successfully rolled out/.test(kubectl.text),
      );
      if (ours.state === 'ready') break;
      await new Promise(r => setTimeout(r, 100));
    }
    expect(seen.has('ready')).toBe(true);

    // and a deadline the controller reports is a failure for both
    const stuck = unschedulable(rendered.objects[0]);
    stuck.spec.progressDeadlineSeconds = 2;
    const failed = await expectFailure(
      deployer.deploy({
        cluster: 'real',
        objects: [stuck],
        timeoutMs: 200_000,
      }),
    );
    expect(failed).toBeInstanceOf(RolloutFailedError);
    const kubectl = await kubectlRolloutStatus('team-c', rendered.name);
    expect(kubectl.ok).toBe(false);
    expect(kubectl.text).toMatch(/exceeded its progress deadline/);
    await deployer.undeploy({
      cluster: 'real',
      objects: [
        rendered.workload,
        { ...rendered.workload, apiVersion: 'v1', kind: 'Service' },
      ],
    });
    await expectNothingLeft('team-c', rendered.name);
  });

  it('undeploys our objects and reads live status; the garbage collector removes the pods', async () => {
    const rendered = renderModelManifests({
      model: testModels.container,
      team: 'team-a',
      namespace: 'team-a',
    });
    await deployer.deploy({ cluster: 'real', objects: rendered.objects });
    const reader = new KubernetesDeploymentStatusReader(clusters, logger);
    const target = {
      cluster: 'real',
      namespace: 'team-a',
      objects: rendered.objects.map(o => ({
        apiVersion: o.apiVersion,
        kind: o.kind,
        namespace: o.metadata.namespace,
        name: o.metadata.name,
      })),
    };
    await expect(reader.read(target)).resolves.toMatchObject({
      state: 'ready',
      readyReplicas: 1,
    });
    const result = await deployer.undeploy({
      cluster: 'real',
      objects: target.objects,
    });
    expect(result.deleted).toHaveLength(2);
    await expect(reader.read(target)).resolves.toMatchObject({
      state: 'missing',
    });
    await expectNothingLeft('team-a', rendered.name);
  });

  // runs last: everything logged or thrown above
  it('never logs or throws a token', () => {
    const everything = [...logger.lines, ...errors].join('\n');
    expect(logger.lines.length).toBeGreaterThan(10);
    expect(errors.length).toBeGreaterThan(5);
    for (const token of [env.tokens.deployer, env.tokens.other]) {
      expect(everything).not.toContain(token);
    }
  });
});
