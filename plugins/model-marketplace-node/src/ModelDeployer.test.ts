/*
 * The deployer on every cluster of deployTargets(): the Kubernetes sandbox
 * always, and a real control plane (@aic/kubernetes-testenv) when one is
 * available, where it also checks what only real controllers do: pods
 * scheduled onto kwok nodes, garbage collection, and readiness judged as
 * `kubectl rollout status` judges it.
 */
import { ConflictError, NotAllowedError } from '@backstage/errors';
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
import { capturingLogger } from './testUtils';
import { testModels } from './__testUtils__/models';
import { DeployTarget, deployTargets } from './__testUtils__/deployTargets';

const exec = promisify(execFile);

// Real controllers on a busy 2-core machine: generous bounds, and every wait
// is on a condition, never a fixed sleep.
jest.setTimeout(240_000);

describe.each(deployTargets())('ModelDeployer on %s', (_, { start, real }) => {
  let t: DeployTarget;
  let logger: ReturnType<typeof capturingLogger>;
  let deployer: ModelDeployer;
  let clusters: ClusterRegistry;
  const errors: string[] = [];

  beforeAll(async () => {
    t = await start();
    logger = capturingLogger();
  });

  afterAll(async () => {
    await t?.close();
  });

  beforeEach(() => {
    clusters = new ClusterRegistry([
      {
        name: t.cluster,
        url: t.url,
        authProvider: 'serviceAccount',
        serviceAccountToken: t.token,
        caData: t.caData,
        skipTLSVerify: false,
      },
      {
        name: 'restricted',
        url: t.url,
        authProvider: 'serviceAccount',
        serviceAccountToken: t.otherToken,
        caData: t.caData,
        skipTLSVerify: false,
      },
    ]);
    deployer = new ModelDeployer({
      clusters,
      logger,
      pollIntervalMs: t.pollIntervalMs,
      retry: t.retry,
      requestTimeoutMs: 2000,
    });
    t.reset();
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

  /** The endpoint a deploy reports. */
  function expectEndpoint(
    runtime: keyof typeof testModels,
    rendered: ReturnType<typeof renderModelManifests>,
    endpoint: string | undefined,
  ) {
    if (!real) {
      const serviceUrl = `http://${rendered.name}.team-a.svc.cluster.local:${rendered.port}`;
      // KServe reports its own URL in status.url
      expect(endpoint).toMatch(
        runtime === 'kserve' ? /^https?:\/\// : serviceUrl,
      );
      return;
    }
    // KServe reports its own URL; the others get the Service's
    expect(endpoint).toBe(
      runtime === 'kserve'
        ? `http://${rendered.name}.team-a.svc.cluster.local`
        : rendered.endpoint,
    );
  }

  /** What only real controllers do: pods on kwok nodes, an available Deployment. */
  async function expectRunningPods(
    runtime: keyof typeof testModels,
    rendered: ReturnType<typeof renderModelManifests>,
  ) {
    // the pods the controllers made, scheduled by the real scheduler
    const pods = await t.pods('team-a', `aic.dev/model=${rendered.model}`);
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
    // the Deployment that runs the pods (KServe's is <name>-predictor)
    const deployment = await t.live(
      'apps/v1',
      'Deployment',
      'team-a',
      runtime === 'kserve' ? `${rendered.name}-predictor` : rendered.name,
    );
    expect(deployment.status.availableReplicas).toBe(deployment.spec.replicas);
  }

  /** The apiserver's own words: who was refused. */
  function expectRbacMessage(error: Error) {
    expect(error.message).toMatch(/forbidden/);
    expect(error.message).toContain(
      'system:serviceaccount:aic-teams:team-other',
    );
  }

  async function kubectlRolloutStatus(namespace: string, name: string) {
    try {
      const { stdout } = await exec('kubectl', [
        '--kubeconfig',
        t.adminKubeconfig!,
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
    'deploys a %s model until ready',
    async runtime => {
      const rendered = renderModelManifests({
        model: testModels[runtime],
        team: 'team-a',
        namespace: 'team-a',
      });
      const progress: string[] = [];
      const result = await deployer.deploy({
        cluster: t.cluster,
        objects: rendered.objects,
        workload: rendered.workload,
        endpoint: rendered.endpoint,
        onProgress: m => progress.push(m),
      });
      expect(result.readiness?.state).toBe('ready');
      expect(result.created).toHaveLength(rendered.objects.length);
      for (const o of rendered.objects) {
        const obj = await t.live(
          o.apiVersion,
          o.kind,
          'team-a',
          o.metadata.name,
        );
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
      expect(progress).toContain('dry-run ok');
      expect(progress.some(p => p.startsWith('applied '))).toBe(true);
      expect(progress[progress.length - 1]).toMatch(/^ready at /);
      expectEndpoint(runtime, rendered, result.endpoint);
      if (real) {
        await expectRunningPods(runtime, rendered);
      }
    },
  );

  it('dry-run writes nothing', async () => {
    const rendered = renderModelManifests({
      model: testModels.vllm,
      team: 'team-b',
      namespace: 'team-b',
    });
    const writes = t.writeCount();
    const result = await deployer.deploy({
      cluster: t.cluster,
      objects: rendered.objects,
      dryRun: true,
    });
    expect(result.dryRun).toBe(true);
    expect(t.writeCount()).toBe(writes);
    expect(
      t.requestLog.filter(r => r.query.includes('dryRun=All')),
    ).toHaveLength(rendered.objects.length);
    for (const o of rendered.objects) {
      expect(
        await t.live(o.apiVersion, o.kind, 'team-b', o.metadata.name),
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
      cluster: t.cluster,
      objects: rendered.objects,
      workload: rendered.workload,
    };
    await deployer.deploy(request);
    await t.settled('team-b', rendered.name);
    const versions = () =>
      Promise.all(
        rendered.objects.map(
          async o =>
            (await t.live(o.apiVersion, o.kind, 'team-b', o.metadata.name))
              .metadata.resourceVersion,
        ),
      );
    const before = await versions();
    t.clearRequestLog();
    const again = await deployer.deploy(request);
    expect(again.created).toEqual([]);
    // the apply really reached the apiserver, which found nothing to change
    expect(
      t.requestLog.filter(
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
    await t.applyAs('kubectl', theirs);
    const error = await expectFailure(
      deployer.deploy({ cluster: t.cluster, objects: rendered.objects }),
    );
    expect(error).toBeInstanceOf(ConflictError);
    expect(error.message).toContain('.spec.replicas');
    expect(error.message).toContain('kubectl');
    // the Service did not exist before this run: rolled back
    expect(
      await t.live('v1', 'Service', 'team-b', rendered.name),
    ).toBeUndefined();
    // the other manager's Deployment is untouched
    const d = await t.live('apps/v1', 'Deployment', 'team-b', rendered.name);
    expect(d.spec.replicas).toBe(3);
    await t.delete(theirs);
  });

  it('never touches an object that is not managed by us', async () => {
    const rendered = renderModelManifests({
      model: testModels.vllm,
      team: 'team-c',
      namespace: 'team-c',
    });
    const foreign = structuredClone(rendered.objects[0]);
    foreign.metadata.labels = { 'app.kubernetes.io/managed-by': 'helm' };
    await t.applyAs('helm', foreign);
    // the controller updates the status (and so the resourceVersion) on its
    // own; compare what a writer would change
    const snapshot = async () => {
      const o = await t.live('apps/v1', 'Deployment', 'team-c', rendered.name);
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
    const before = await snapshot();
    t.clearRequestLog();
    const writes = t.writeCount();
    const error = await expectFailure(
      deployer.deploy({ cluster: t.cluster, objects: rendered.objects }),
    );
    expect(error).toBeInstanceOf(ConflictError);
    expect(error.message).toMatch(/not managed by model-marketplace/);
    expect(t.writeCount()).toBe(writes);
    expect(await snapshot()).toBe(before);
    expect(t.requestLog.filter(r => r.method !== 'GET')).toEqual([]);
    const undeployError = await expectFailure(
      deployer.undeploy({ cluster: t.cluster, objects: [rendered.workload] }),
    );
    expect(undeployError).toBeInstanceOf(ConflictError);
    expect(
      await t.live('apps/v1', 'Deployment', 'team-c', rendered.name),
    ).toBeDefined();
    expect(await snapshot()).toBe(before);
    await t.delete(foreign);
  });

  it('fails fast on ProgressDeadlineExceeded and rolls back, leaving nothing', async () => {
    const rendered = renderModelManifests({
      model: testModels.vllm,
      version: '1.0.0-awq-int4',
      team: 'team-c',
      namespace: 'team-c',
    });
    const { timeoutMs, failsWithinMs } = t.progressDeadline;
    const started = Date.now();
    const error = await expectFailure(
      deployer.deploy({
        cluster: t.cluster,
        objects: t.progressDeadlineExceeded(rendered.objects),
        timeoutMs,
      }),
    );
    expect(error).toBeInstanceOf(RolloutFailedError);
    expect(error.message).toMatch(/exceeded its progress deadline/);
    expect(Date.now() - started).toBeLessThan(failsWithinMs);
    await t.expectNothingLeft('team-c', rendered.name);
    for (const o of rendered.objects) {
      expect(
        await t.live(o.apiVersion, o.kind, 'team-c', o.metadata.name),
      ).toBeUndefined();
    }
  });

  it('rolls back on timeout (KServe), but keeps objects an earlier run created', async () => {
    const rendered = renderModelManifests({
      model: testModels.kserve,
      team: 'team-d',
      namespace: 'team-d',
    });
    const error = await expectFailure(
      deployer.deploy({
        cluster: t.cluster,
        objects: t.neverReady(rendered.objects),
        timeoutMs: t.shortTimeoutMs,
      }),
    );
    expect(error).toBeInstanceOf(RolloutTimeoutError);
    // the InferenceService, and with it (garbage collector) its Deployment and pods
    await t.expectNothingLeft('team-d', rendered.name);
    expect(
      await t.live(
        'serving.kserve.io/v1beta1',
        'InferenceService',
        'team-d',
        rendered.name,
      ),
    ).toBeUndefined();

    // an existing deployment that fails to update is left in place
    const ok = renderModelManifests({
      model: testModels.container,
      team: 'team-d',
      namespace: 'team-d',
    });
    await deployer.deploy({ cluster: t.cluster, objects: ok.objects });
    const update = renderModelManifests({
      model: testModels.container,
      team: 'team-d',
      namespace: 'team-d',
      replicas: 2,
    });
    await expectFailure(
      deployer.deploy({
        cluster: t.cluster,
        objects: t.neverReady(update.objects),
        timeoutMs: t.shortTimeoutMs,
      }),
    );
    expect(
      await t.live('apps/v1', 'Deployment', 'team-d', ok.name),
    ).toBeDefined();
    expect(await t.live('v1', 'Service', 'team-d', ok.name)).toBeDefined();
    await deployer.undeploy({
      cluster: t.cluster,
      objects: [
        ok.workload,
        { ...ok.workload, apiVersion: 'v1', kind: 'Service' },
      ],
    });
    await t.expectNothingLeft('team-d', ok.name);
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
        cluster: t.cluster,
        objects: t.neverReady(rendered.objects),
        signal: controller.signal,
        onProgress: m => {
          if (m.startsWith('waiting for rollout')) controller.abort();
        },
      }),
    );
    expect(error).toBeInstanceOf(DeployCancelledError);
    await t.expectNothingLeft('team-d', rendered.name);
    for (const o of rendered.objects) {
      expect(
        await t.live(o.apiVersion, o.kind, 'team-d', o.metadata.name),
      ).toBeUndefined();
    }
  });

  it('cancels a request in flight', async () => {
    const rendered = renderModelManifests({
      model: testModels.container,
      team: 'team-b',
      namespace: 'team-b',
      version: '1.0.0',
      replicas: 3,
    });
    t.injectFaults({
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
        cluster: t.cluster,
        objects: rendered.objects,
        signal: controller.signal,
      }),
    );
    clearTimeout(timer);
    expect(error).toBeInstanceOf(DeployCancelledError);
    expect(Date.now() - started).toBeLessThan(1900);
  });

  it.each(['429', '500', 'reset'] as const)(
    'retries %s answers and succeeds',
    async kind => {
      const rendered = renderModelManifests({
        model: testModels.vllm,
        team: 'team-a',
        namespace: 'team-a',
        replicas: 2,
      });
      t.injectFaults({
        kind,
        count: 2,
        retryAfterSeconds: kind === '429' ? 0 : undefined,
        match: { method: 'PATCH' },
      });
      const result = await deployer.deploy({
        cluster: t.cluster,
        objects: rendered.objects,
      });
      expect(result.readiness?.state).toBe('ready');
      const patches = t.requestLog.filter(r => r.method === 'PATCH');
      // a reset connection never gets an answer: logged with status 0
      const faultStatus = kind === 'reset' ? 0 : Number(kind);
      expect(patches.filter(r => r.status === faultStatus)).toHaveLength(2);
      expect(
        patches.filter(r => r.status === 200).length,
      ).toBeGreaterThanOrEqual(rendered.objects.length * 2);
      expect(logger.lines.some(l => l.includes('Retrying'))).toBe(true);
      const d = await t.live('apps/v1', 'Deployment', 'team-a', rendered.name);
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
    t.injectFaults({
      kind: 'slow',
      count: 1,
      delayMs: 6000,
      match: { method: 'GET' },
    });
    const started = Date.now();
    const result = await deployer.deploy({
      cluster: t.cluster,
      objects: rendered.objects,
    });
    expect(result.readiness?.state).toBe('ready');
    expect(logger.lines.some(l => l.includes('Retrying read'))).toBe(true);
    expect(Date.now() - started).toBeGreaterThan(2000);
    // without real pods to wait for, well before the slow answer
    expect(Date.now() - started).toBeLessThan(real ? Infinity : 5900);
  });

  it('gets a 403 outside the team namespaces, reports it and does not retry', async () => {
    const rendered = renderModelManifests({
      model: testModels.vllm,
      team: 'team-a',
      namespace: 'team-a',
    });
    const error = await expectFailure(
      deployer.deploy({ cluster: 'restricted', objects: rendered.objects }),
    );
    expect(error).toBeInstanceOf(NotAllowedError);
    if (real) {
      expectRbacMessage(error);
    }
    const forbidden = t.requestLog.filter(r => r.status === 403);
    // one attempt per object, none repeated
    expect(forbidden.length).toBeGreaterThanOrEqual(1);
    expect(new Set(forbidden.map(r => `${r.method} ${r.path}`)).size).toBe(
      forbidden.length,
    );
    expect(t.requestLog.filter(r => r.method !== 'GET')).toHaveLength(0);
    expect(error.message).not.toContain(t.otherToken);
  });

  if (real) {
    it('judges readiness as kubectl rollout status does, on controller-written status', async () => {
      const rendered = renderModelManifests({
        model: testModels.container,
        team: 'team-c',
        namespace: 'team-c',
        replicas: 3,
      });
      await deployer.deploy({
        cluster: t.cluster,
        objects: rendered.objects,
        noWait: true,
      });
      const seen = new Set<string>();
      for (;;) {
        const before = await t.live(
          'apps/v1',
          'Deployment',
          'team-c',
          rendered.name,
        );
        const kubectl = await kubectlRolloutStatus('team-c', rendered.name);
        const after = await t.live(
          'apps/v1',
          'Deployment',
          'team-c',
          rendered.name,
        );
        if (
          before.metadata.resourceVersion !== after.metadata.resourceVersion
        ) {
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
      const [stuck] = t.progressDeadlineExceeded([rendered.objects[0]]);
      stuck.spec.progressDeadlineSeconds = 2;
      const failed = await expectFailure(
        deployer.deploy({
          cluster: t.cluster,
          objects: [stuck],
          timeoutMs: 200_000,
        }),
      );
      expect(failed).toBeInstanceOf(RolloutFailedError);
      const kubectl = await kubectlRolloutStatus('team-c', rendered.name);
      expect(kubectl.ok).toBe(false);
      expect(kubectl.text).toMatch(/exceeded its progress deadline/);
      await deployer.undeploy({
        cluster: t.cluster,
        objects: [
          rendered.workload,
          { ...rendered.workload, apiVersion: 'v1', kind: 'Service' },
        ],
      });
      await t.expectNothingLeft('team-c', rendered.name);
    });
  }

  it('undeploys our objects and reads live status; nothing is left', async () => {
    const rendered = renderModelManifests({
      model: testModels.container,
      team: 'team-a',
      namespace: 'team-a',
    });
    await deployer.deploy({ cluster: t.cluster, objects: rendered.objects });
    const reader = new KubernetesDeploymentStatusReader(clusters, logger);
    const target = {
      cluster: t.cluster,
      namespace: 'team-a',
      objects: rendered.objects.map(o => ({
        apiVersion: o.apiVersion,
        kind: o.kind,
        namespace: o.metadata.namespace,
        name: o.metadata.name,
      })),
    };
    t.clearRequestLog();
    await expect(reader.read(target)).resolves.toMatchObject({
      state: 'ready',
      readyReplicas: 1,
    });
    expect(
      t.requestLog.filter(
        r => r.method === 'GET' && r.path.includes('/namespaces/'),
      ),
    ).toHaveLength(2);
    const result = await deployer.undeploy({
      cluster: t.cluster,
      objects: target.objects,
    });
    expect(result.deleted).toHaveLength(2);
    await expect(reader.read(target)).resolves.toMatchObject({
      state: 'missing',
    });
    await expect(
      reader.read({ ...target, cluster: 'nope' }),
    ).resolves.toMatchObject({ state: 'unknown' });
    // the garbage collector removes the pods
    await t.expectNothingLeft('team-a', rendered.name);
  });

  // runs last: everything logged or thrown above
  it('never logs or throws a token', () => {
    const everything = [...logger.lines, ...errors].join('\n');
    expect(logger.lines.length).toBeGreaterThan(10);
    expect(errors.length).toBeGreaterThan(5);
    for (const token of [t.token, t.otherToken]) {
      expect(everything).not.toContain(token);
    }
  });
});
