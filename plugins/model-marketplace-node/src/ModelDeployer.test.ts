import {
  KubernetesSandbox,
  startKubernetesSandbox,
} from '@aic/kubernetes-sandbox';
import { ConflictError, NotAllowedError } from '@backstage/errors';
import {
  KubeConfig,
  KubernetesObject,
  KubernetesObjectApi,
  PatchStrategy,
} from '@kubernetes/client-node';
import { ClusterRegistry } from './ClusterRegistry';
import {
  DeployCancelledError,
  RolloutFailedError,
  RolloutTimeoutError,
} from './errors';
import { KubernetesDeploymentStatusReader } from './KubernetesDeploymentStatusReader';
import { ModelDeployer } from './ModelDeployer';
import { renderModelManifests } from './renderModelManifests';
import { capturingLogger } from './testUtils';
import { testModels } from './__testUtils__/models';

const TOKEN = 'sandbox-token-0123456789-very-secret';
const OTHER_TOKEN = 'other-token-0123456789-secret';
const NAMESPACES = ['team-a', 'team-b', 'team-c', 'team-d', 'other'];

jest.setTimeout(30_000);

describe('ModelDeployer against the sandbox', () => {
  let sandbox: KubernetesSandbox;
  let logger: ReturnType<typeof capturingLogger>;
  let deployer: ModelDeployer;
  let clusters: ClusterRegistry;
  const errors: string[] = [];

  beforeAll(async () => {
    sandbox = await startKubernetesSandbox({
      tokens: {
        [TOKEN]: NAMESPACES.filter(n => n !== 'other'),
        [OTHER_TOKEN]: ['other'],
      },
      namespaces: NAMESPACES,
      rolloutDelayMs: 50,
    });
  });

  afterAll(async () => {
    await sandbox?.close();
  });

  beforeEach(() => {
    logger = logger ?? capturingLogger();
    clusters = new ClusterRegistry([
      {
        name: 'sandbox',
        url: sandbox.url,
        authProvider: 'serviceAccount',
        serviceAccountToken: TOKEN,
        caData: sandbox.caData,
        skipTLSVerify: false,
      },
      {
        name: 'restricted',
        url: sandbox.url,
        authProvider: 'serviceAccount',
        serviceAccountToken: OTHER_TOKEN,
        caData: sandbox.caData,
        skipTLSVerify: false,
      },
    ]);
    deployer = new ModelDeployer({
      clusters,
      logger,
      pollIntervalMs: 20,
      retry: { baseDelayMs: 10, maxDelayMs: 50 },
      requestTimeoutMs: 2000,
    });
    sandbox.setDefaultBehavior('ready');
    sandbox.clearRequestLog();
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

  function kubectlClient(): KubernetesObjectApi {
    const kc: KubeConfig = clusters.makeKubeConfig('sandbox');
    return KubernetesObjectApi.makeApiClient(kc);
  }

  it.each([
    ['vllm', 'team-a'],
    ['tgi', 'team-a'],
    ['container', 'team-a'],
    ['kserve', 'team-a'],
  ] as const)('deploys a %s model until ready', async (runtime, namespace) => {
    const rendered = renderModelManifests({
      model: testModels[runtime],
      team: 'team-a',
      namespace,
    });
    const progress: string[] = [];
    const result = await deployer.deploy({
      cluster: 'sandbox',
      objects: rendered.objects,
      workload: rendered.workload,
      endpoint: rendered.endpoint,
      onProgress: m => progress.push(m),
    });
    expect(result.readiness?.state).toBe('ready');
    expect(result.created).toHaveLength(rendered.objects.length);
    for (const o of rendered.objects) {
      const live = sandbox.getObject(
        o.apiVersion,
        o.kind,
        namespace,
        o.metadata.name,
      );
      expect(live?.metadata.labels['app.kubernetes.io/managed-by']).toBe(
        'model-marketplace',
      );
      expect(
        live?.metadata.managedFields?.some(
          (f: any) => f.manager === 'model-marketplace',
        ),
      ).toBe(true);
    }
    const serviceUrl = `http://${rendered.name}.${namespace}.svc.cluster.local:${rendered.port}`;
    // KServe reports its own URL in status.url
    expect(result.endpoint).toMatch(
      runtime === 'kserve' ? /^https?:\/\// : serviceUrl,
    );
    expect(progress).toContain('dry-run ok');
    expect(progress.some(p => p.startsWith('applied '))).toBe(true);
    expect(progress[progress.length - 1]).toMatch(/^ready at /);
  });

  it('dry-run writes nothing', async () => {
    const rendered = renderModelManifests({
      model: testModels.vllm,
      team: 'team-b',
      namespace: 'team-b',
    });
    const writes = sandbox.writeCount();
    const result = await deployer.deploy({
      cluster: 'sandbox',
      objects: rendered.objects,
      dryRun: true,
    });
    expect(result.dryRun).toBe(true);
    expect(sandbox.writeCount()).toBe(writes);
    expect(
      sandbox.getObject('apps/v1', 'Deployment', 'team-b', rendered.name),
    ).toBeUndefined();
    expect(sandbox.requestLog.some(r => r.query.includes('dryRun=All'))).toBe(
      true,
    );
  });

  it('re-running the same deploy changes nothing', async () => {
    const rendered = renderModelManifests({
      model: testModels.container,
      team: 'team-b',
      namespace: 'team-b',
    });
    const request = {
      cluster: 'sandbox',
      objects: rendered.objects,
      workload: rendered.workload,
    };
    await deployer.deploy(request);
    const versions = () =>
      rendered.objects.map(
        o =>
          sandbox.getObject(o.apiVersion, o.kind, 'team-b', o.metadata.name)
            ?.metadata.resourceVersion,
      );
    const before = versions();
    const again = await deployer.deploy(request);
    expect(versions()).toEqual(before);
    expect(again.created).toEqual([]);
  });

  it('reports a field conflict with another manager', async () => {
    const rendered = renderModelManifests({
      model: testModels.tgi,
      team: 'team-b',
      namespace: 'team-b',
      replicas: 1,
    });
    const theirs = structuredClone(rendered.objects[0]);
    theirs.spec.replicas = 3;
    await kubectlClient().patch(
      theirs as KubernetesObject,
      undefined,
      undefined,
      'kubectl',
      false,
      PatchStrategy.ServerSideApply,
    );
    const error = await expectFailure(
      deployer.deploy({ cluster: 'sandbox', objects: rendered.objects }),
    );
    expect(error).toBeInstanceOf(ConflictError);
    expect(error.message).toContain('.spec.replicas');
    expect(error.message).toContain('kubectl');
    // the Service this run had not created before the failure is rolled back
    expect(
      sandbox.getObject('v1', 'Service', 'team-b', rendered.name),
    ).toBeUndefined();
  });

  it('never touches an object that is not managed by us', async () => {
    const rendered = renderModelManifests({
      model: testModels.vllm,
      team: 'team-c',
      namespace: 'team-c',
    });
    const foreign = structuredClone(rendered.objects[0]);
    foreign.metadata.labels = { 'app.kubernetes.io/managed-by': 'helm' };
    await kubectlClient().patch(
      foreign as KubernetesObject,
      undefined,
      undefined,
      'helm',
      false,
      PatchStrategy.ServerSideApply,
    );
    // the sandbox's simulated controller updates the status (and so the
    // resourceVersion) on its own; compare what a writer would change
    const snapshot = () => {
      const o = sandbox.getObject(
        'apps/v1',
        'Deployment',
        'team-c',
        rendered.name,
      );
      return JSON.stringify({
        generation: o.metadata.generation,
        labels: o.metadata.labels,
        managers: o.metadata.managedFields?.map((f: any) => f.manager),
        spec: o.spec,
      });
    };
    const before = snapshot();
    sandbox.clearRequestLog();
    const writes = sandbox.writeCount();
    const error = await expectFailure(
      deployer.deploy({ cluster: 'sandbox', objects: rendered.objects }),
    );
    expect(error).toBeInstanceOf(ConflictError);
    expect(error.message).toMatch(/not managed by model-marketplace/);
    expect(sandbox.writeCount()).toBe(writes);
    expect(snapshot()).toBe(before);
    expect(sandbox.requestLog.filter(r => r.method !== 'GET')).toEqual([]);
    const undeployError = await expectFailure(
      deployer.undeploy({
        cluster: 'sandbox',
        objects: [rendered.workload],
      }),
    );
    expect(undeployError).toBeInstanceOf(ConflictError);
    expect(
      sandbox.getObject('apps/v1', 'Deployment', 'team-c', rendered.name),
    ).toBeDefined();
  });

  it('fails fast on ProgressDeadlineExceeded and rolls back', async () => {
    const rendered = renderModelManifests({
      model: testModels.vllm,
      version: '1.0.0-awq-int4',
      team: 'team-c',
      namespace: 'team-c',
    });
    sandbox.setWorkloadBehavior(
      'team-c',
      rendered.name,
      'progress-deadline-exceeded',
    );
    const started = Date.now();
    const error = await expectFailure(
      deployer.deploy({
        cluster: 'sandbox',
        objects: rendered.objects,
        timeoutMs: 20_000,
      }),
    );
    expect(error).toBeInstanceOf(RolloutFailedError);
    expect(error.message).toMatch(/progress deadline/);
    expect(Date.now() - started).toBeLessThan(5_000);
    for (const o of rendered.objects) {
      expect(
        sandbox.getObject(o.apiVersion, o.kind, 'team-c', o.metadata.name),
      ).toBeUndefined();
    }
  });

  it('rolls back on timeout, but keeps objects an earlier run created', async () => {
    const rendered = renderModelManifests({
      model: testModels.kserve,
      team: 'team-d',
      namespace: 'team-d',
    });
    sandbox.setWorkloadBehavior('team-d', rendered.name, 'never-ready');
    const error = await expectFailure(
      deployer.deploy({
        cluster: 'sandbox',
        objects: rendered.objects,
        timeoutMs: 300,
      }),
    );
    expect(error).toBeInstanceOf(RolloutTimeoutError);
    expect(
      sandbox.getObject(
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
    await deployer.deploy({ cluster: 'sandbox', objects: ok.objects });
    sandbox.setWorkloadBehavior('team-d', ok.name, 'never-ready');
    const update = renderModelManifests({
      model: testModels.container,
      team: 'team-d',
      namespace: 'team-d',
      replicas: 2,
    });
    await expectFailure(
      deployer.deploy({
        cluster: 'sandbox',
        objects: update.objects,
        timeoutMs: 300,
      }),
    );
    expect(
      sandbox.getObject('apps/v1', 'Deployment', 'team-d', ok.name),
    ).toBeDefined();
  });

  it('rolls back when cancelled', async () => {
    const rendered = renderModelManifests({
      model: testModels.tgi,
      team: 'team-d',
      namespace: 'team-d',
    });
    sandbox.setWorkloadBehavior('team-d', rendered.name, 'never-ready');
    const controller = new AbortController();
    const progress: string[] = [];
    const p = deployer.deploy({
      cluster: 'sandbox',
      objects: rendered.objects,
      signal: controller.signal,
      onProgress: m => {
        progress.push(m);
        if (m.startsWith('waiting for rollout')) {
          controller.abort();
        }
      },
    });
    const error = await expectFailure(p);
    expect(error).toBeInstanceOf(DeployCancelledError);
    for (const o of rendered.objects) {
      expect(
        sandbox.getObject(o.apiVersion, o.kind, 'team-d', o.metadata.name),
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
    sandbox.injectFaults({
      kind: 'slow',
      count: 2, // the two dry-run PATCHes, sent together
      delayMs: 6000,
      match: { method: 'PATCH' },
    });
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 300);
    const started = Date.now();
    const error = await expectFailure(
      deployer.deploy({
        cluster: 'sandbox',
        objects: rendered.objects,
        signal: controller.signal,
      }),
    );
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
      sandbox.injectFaults({
        kind,
        count: 2,
        retryAfterSeconds: kind === '429' ? 0 : undefined,
        match: { method: 'PATCH' },
      });
      const result = await deployer.deploy({
        cluster: 'sandbox',
        objects: rendered.objects,
      });
      expect(result.readiness?.state).toBe('ready');
      const patches = sandbox.requestLog.filter(r => r.method === 'PATCH');
      expect(patches.filter(r => r.status === Number(kind))).toHaveLength(
        kind === 'reset' ? 0 : 2,
      );
      expect(
        patches.filter(r => r.status === 200).length,
      ).toBeGreaterThanOrEqual(rendered.objects.length * 2);
      expect(logger.lines.some(l => l.includes('Retrying'))).toBe(true);
    },
  );

  it('gives up on a slow answer after the request timeout and retries', async () => {
    const rendered = renderModelManifests({
      model: testModels.tgi,
      team: 'team-a',
      namespace: 'team-a',
      replicas: 2,
    });
    sandbox.injectFaults({
      kind: 'slow',
      count: 1,
      delayMs: 6000,
      match: { method: 'GET' },
    });
    const started = Date.now();
    const result = await deployer.deploy({
      cluster: 'sandbox',
      objects: rendered.objects,
    });
    expect(result.readiness?.state).toBe('ready');
    expect(Date.now() - started).toBeLessThan(5900);
    expect(logger.lines.some(l => l.includes('Retrying read'))).toBe(true);
  });

  it('reports a 403 and does not retry it', async () => {
    const rendered = renderModelManifests({
      model: testModels.vllm,
      team: 'team-a',
      namespace: 'team-a',
    });
    const error = await expectFailure(
      deployer.deploy({ cluster: 'restricted', objects: rendered.objects }),
    );
    expect(error).toBeInstanceOf(NotAllowedError);
    const forbidden = sandbox.requestLog.filter(r => r.status === 403);
    // one attempt per object, none repeated
    expect(forbidden.length).toBeGreaterThanOrEqual(1);
    expect(new Set(forbidden.map(r => `${r.method} ${r.path}`)).size).toBe(
      forbidden.length,
    );
    expect(sandbox.requestLog.filter(r => r.method !== 'GET')).toHaveLength(0);
    expect(error.message).not.toContain(OTHER_TOKEN);
  });

  it('undeploys our objects and reads live status', async () => {
    const rendered = renderModelManifests({
      model: testModels.container,
      team: 'team-a',
      namespace: 'team-a',
    });
    await deployer.deploy({ cluster: 'sandbox', objects: rendered.objects });
    const reader = new KubernetesDeploymentStatusReader(clusters, logger);
    const target = {
      cluster: 'sandbox',
      namespace: 'team-a',
      objects: rendered.objects.map(o => ({
        apiVersion: o.apiVersion,
        kind: o.kind,
        namespace: o.metadata.namespace,
        name: o.metadata.name,
      })),
    };
    sandbox.clearRequestLog();
    await expect(reader.read(target)).resolves.toMatchObject({
      state: 'ready',
      readyReplicas: 1,
    });
    expect(
      sandbox.requestLog.filter(
        r => r.method === 'GET' && r.path.includes('/namespaces/'),
      ),
    ).toHaveLength(2);
    const result = await deployer.undeploy({
      cluster: 'sandbox',
      objects: target.objects,
    });
    expect(result.deleted).toHaveLength(2);
    await expect(reader.read(target)).resolves.toMatchObject({
      state: 'missing',
    });
    await expect(
      reader.read({ ...target, cluster: 'nope' }),
    ).resolves.toMatchObject({ state: 'unknown' });
  });

  // runs last: everything logged or thrown above
  it('never logs or throws a token', () => {
    const everything = [...logger.lines, ...errors].join('\n');
    expect(logger.lines.length).toBeGreaterThan(10);
    expect(errors.length).toBeGreaterThan(5);
    expect(everything).not.toContain(TOKEN);
    expect(everything).not.toContain(OTHER_TOKEN);
  });
});
