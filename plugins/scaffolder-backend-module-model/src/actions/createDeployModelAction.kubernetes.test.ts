/*
 * model:deploy and model:undeploy against a real control plane
 * (@aic/kubernetes-testenv), as the Backstage service account of
 * examples/kubernetes/backstage-rbac.yaml: real RBAC, real KServe CRD schema,
 * real controllers and kwok pods. The action's requests go through a
 * fault-injecting proxy that also logs them.
 */
import {
  FaultProxy,
  SharedTestEnv,
  connectSharedTestEnv,
  startFaultProxy,
  testEnvAvailable,
} from '@aic/kubernetes-testenv';
import {
  ClusterRegistry,
  ModelDeployer,
} from '@aic/plugin-model-marketplace-node';
import { mockServices } from '@backstage/backend-test-utils';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { createMockActionContext } from '@backstage/plugin-scaffolder-node-test-utils';
import {
  KubeConfig,
  KubernetesObject,
  KubernetesObjectApi,
} from '@kubernetes/client-node';
import { parse } from 'yaml';
import { capturingLogger } from '@aic/plugin-model-marketplace-node/testUtils';
import {
  FakeApprovals,
  FakeRecorder,
  exampleEntities,
  teamNamespaces,
} from '../__testUtils__/fixtures';
import { createDeployModelAction } from './createDeployModelAction';
import { createUndeployModelAction } from './createUndeployModelAction';
import { examples } from './createDeployModelAction.examples';
import { examples as undeployExamples } from './createUndeployModelAction.examples';

const GUEST = 'user:default/guest';
const KINDS = [
  ['apps/v1', 'Deployment'],
  ['v1', 'Service'],
  ['serving.kserve.io/v1beta1', 'InferenceService'],
  ['apps/v1', 'ReplicaSet'],
  ['v1', 'Pod'],
] as const;

jest.setTimeout(240_000);

const describeReal = testEnvAvailable() ? describe : describe.skip;

describeReal('model:deploy and model:undeploy on a real control plane', () => {
  let env: SharedTestEnv;
  let proxy: FaultProxy;
  let admin: KubernetesObjectApi;
  let recorder: FakeRecorder;
  let approvals: FakeApprovals;
  let logger: ReturnType<typeof capturingLogger>;
  let clusters: ClusterRegistry;
  const catalog = catalogServiceMock({ entities: exampleEntities() });
  const auth = mockServices.auth();

  async function managedObjects(
    namespace: string,
    selector = 'app.kubernetes.io/managed-by=model-marketplace',
  ) {
    const found: any[] = [];
    for (const [apiVersion, kind] of KINDS) {
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
      // list items carry no kind of their own
      found.push(...list.items.map(item => ({ ...item, kind })));
    }
    return found;
  }

  /** Deletes what the tests deployed and waits until the cluster is clean. */
  async function cleanUp() {
    for (const ns of teamNamespaces()) {
      for (const [apiVersion, kind] of KINDS.slice(0, 3)) {
        const list = await admin.list(
          apiVersion,
          kind,
          ns,
          undefined,
          undefined,
          undefined,
          undefined,
          'app.kubernetes.io/managed-by=model-marketplace',
        );
        for (const item of list.items) {
          await admin
            .delete({
              apiVersion,
              kind,
              metadata: item.metadata,
            } as KubernetesObject)
            .catch(() => {});
        }
      }
    }
    for (const ns of teamNamespaces()) {
      for (;;) {
        if ((await managedObjects(ns, 'aic.dev/model')).length === 0) break;
        await new Promise(r => setTimeout(r, 250));
      }
    }
  }

  async function live(
    apiVersion: string,
    kind: string,
    namespace: string,
    name: string,
  ) {
    try {
      return (await admin.read({
        apiVersion,
        kind,
        metadata: { name, namespace },
      })) as any;
    } catch (e) {
      if ((e as { code?: number }).code === 404) return undefined;
      throw e;
    }
  }

  beforeAll(async () => {
    env = await connectSharedTestEnv();
    proxy = await startFaultProxy({
      target: env.url,
      caPem: env.caPem,
      certPem: env.servingCertPem,
      keyPem: env.servingKeyPem,
    });
    const kc = new KubeConfig();
    kc.loadFromFile(env.adminKubeconfig);
    admin = KubernetesObjectApi.makeApiClient(kc);
    clusters = new ClusterRegistry([
      {
        name: 'sandbox',
        url: proxy.url,
        authProvider: 'serviceAccount',
        // the Backstage service account, with the RBAC of examples/kubernetes
        serviceAccountToken: env.backstageToken,
        caData: proxy.caData,
        skipTLSVerify: false,
      },
    ]);
    logger = capturingLogger();
    await cleanUp();
  });

  afterAll(async () => {
    if (admin) await cleanUp();
    await proxy?.close();
    await env?.release();
  });

  beforeEach(() => {
    recorder = new FakeRecorder();
    approvals = new FakeApprovals();
    proxy.clearRequestLog();
  });

  function actions() {
    const deployer = new ModelDeployer({
      clusters,
      logger,
      pollIntervalMs: 250,
      retry: { baseDelayMs: 50 },
    });
    const options = {
      catalog,
      auth,
      logger,
      clusters,
      deployer,
      recorder,
      approvals,
    };
    return {
      deploy: createDeployModelAction(options),
      undeploy: createUndeployModelAction(options),
    };
  }

  function context(input: Record<string, unknown>, extra: object = {}) {
    return {
      ...createMockActionContext({
        input: input as any,
        logger: logger as any,
        user: { ref: GUEST },
      }),
      ...extra,
    };
  }

  function outputOf(ctx: { output: unknown }, name: string) {
    return (ctx.output as jest.Mock).mock.calls.find(c => c[0] === name)?.[1];
  }

  it.each(examples.map(e => [e.description, e.example]))(
    'runs the example "%s" to Running pods',
    async (_description, example) => {
      const { deploy } = actions();
      const input = parse(example).steps[0].input;
      const ctx = context(input);
      await deploy.handler(ctx as any);
      expect(ctx.output).toHaveBeenCalledWith('deploymentId', 'dep-1');
      const objects = outputOf(ctx, 'objects');
      for (const o of objects) {
        const obj = await live(o.apiVersion, o.kind, o.namespace, o.name);
        expect(obj?.metadata.labels['aic.dev/team']).toBe('team-assistants');
      }
      const model = input.model.split('/')[1];
      const pods = (
        await managedObjects(input.namespace, `aic.dev/model=${model}`)
      ).filter(o => o.kind === 'Pod');
      expect(pods.length).toBeGreaterThanOrEqual(input.replicas ?? 1);
      for (const pod of pods) expect(pod.status.phase).toBe('Running');
      expect(recorder.records.get('dep-1')!.updates.at(-1)?.status).toBe(
        'deployed',
      );
    },
  );

  it('runs the undeploy example; the garbage collector removes the pods', async () => {
    const { deploy, undeploy } = actions();
    const input = parse(undeployExamples[0].example).steps[0].input;
    await deploy.handler(context(input) as any);
    const ctx = context(input);
    await undeploy.handler(ctx as any);
    const deleted = outputOf(ctx, 'objects');
    expect(deleted).toHaveLength(2);
    const model = input.model.split('/')[1];
    for (;;) {
      const left = await managedObjects(
        input.namespace,
        `aic.dev/model=${model}`,
      );
      if (left.length === 0) break;
      await new Promise(r => setTimeout(r, 250));
    }
    expect(recorder.records.get('dep-1')!.updates.at(-1)?.status).toBe(
      'undeployed',
    );
  });

  it('writes nothing in a dry run, and the KServe schema accepts the InferenceService', async () => {
    const { deploy } = actions();
    const writes = proxy.writeCount();
    const ctx = context(
      {
        model: 'model:default/bge-large-en-v1-5',
        team: 'group:default/team-assistants',
        namespace: 'team-assistants',
      },
      { isDryRun: true },
    );
    await deploy.handler(ctx as any);
    expect(proxy.writeCount()).toBe(writes);
    const dryRuns = proxy.requestLog.filter(r =>
      r.query.includes('dryRun=All'),
    );
    expect(dryRuns.length).toBeGreaterThanOrEqual(1);
    // kube-apiserver answers a dry-run apply that would create with 201
    expect(dryRuns.map(r => r.status)).toEqual(dryRuns.map(() => 201));
    expect(ctx.output).toHaveBeenCalledWith('deploymentId', 'dry-run');
    expect(recorder.records.size).toBe(0);
    expect(
      await managedObjects(
        'team-assistants',
        'aic.dev/model=bge-large-en-v1-5',
      ),
    ).toEqual([]);
  });

  it('rolls back and records the failure when cancelled while pods cannot start', async () => {
    // a real reason for pods never to come: the namespace's quota allows none
    const quota = {
      apiVersion: 'v1',
      kind: 'ResourceQuota',
      metadata: { name: 'no-pods', namespace: 'team-assistants' },
      spec: { hard: { pods: '0' } },
    };
    await admin.create(quota as KubernetesObject);
    try {
      // the quota controller must have counted usage before it blocks pods
      for (;;) {
        const q = await live(
          'v1',
          'ResourceQuota',
          'team-assistants',
          'no-pods',
        );
        if (q?.status?.hard?.pods === '0') break;
        await new Promise(r => setTimeout(r, 250));
      }
      const { deploy } = actions();
      const controller = new AbortController();
      const cancellingLogger = {
        ...logger,
        info: (message: string, meta?: any) => {
          logger.info(message, meta);
          if (message.startsWith('waiting for rollout')) controller.abort();
        },
        child: () => cancellingLogger,
      };
      const ctx = {
        ...context({
          model: 'model:default/qwen2-5-coder-7b-instruct',
          team: 'group:default/team-assistants',
          namespace: 'team-assistants',
        }),
        logger: cancellingLogger,
        signal: controller.signal,
      };
      await expect(deploy.handler(ctx as any)).rejects.toThrow(/cancelled/i);
      expect(
        await live(
          'apps/v1',
          'Deployment',
          'team-assistants',
          'qwen2-5-coder-7b-instruct-2-5-0',
        ),
      ).toBeUndefined();
      expect(
        await live(
          'v1',
          'Service',
          'team-assistants',
          'qwen2-5-coder-7b-instruct-2-5-0',
        ),
      ).toBeUndefined();
      expect(recorder.records.get('dep-1')?.updates.at(-1)?.status).toBe(
        'failed',
      );
    } finally {
      await admin.delete(quota as KubernetesObject);
    }
  });

  // runs last: everything the actions logged above
  it('never logs the cluster token', () => {
    expect(logger.lines.length).toBeGreaterThan(10);
    expect(logger.lines.join('\n')).not.toContain(env.backstageToken);
  });
});
