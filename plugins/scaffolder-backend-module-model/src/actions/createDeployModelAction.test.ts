/*
 * model:deploy and model:undeploy on every cluster of actionTargets(): the
 * Kubernetes sandbox always, and a real control plane when one is available,
 * where the examples also run to Running pods and the garbage collector
 * removes them.
 */
import {
  ClusterRegistry,
  ModelDeployer,
} from '@aic/plugin-model-marketplace-node';
import { mockServices } from '@backstage/backend-test-utils';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { createMockActionContext } from '@backstage/plugin-scaffolder-node-test-utils';
import { parse } from 'yaml';
import { MarketplaceGateway } from '../MarketplaceGateway';
import { capturingLogger } from '@aic/plugin-model-marketplace-node/testUtils';
import {
  FakeApprovals,
  FakeRecorder,
  exampleEntities,
} from '../__testUtils__/fixtures';
import { ActionTarget, actionTargets } from '../__testUtils__/actionTargets';
import { createDeployModelAction } from './createDeployModelAction';
import { createUndeployModelAction } from './createUndeployModelAction';
import { examples } from './createDeployModelAction.examples';
import { examples as undeployExamples } from './createUndeployModelAction.examples';

const GUEST = 'user:default/guest';

// Real controllers on a busy 2-core machine: generous bounds, and every wait
// is on a condition, never a fixed sleep.
jest.setTimeout(240_000);

describe.each(actionTargets())(
  'model:deploy and model:undeploy on %s',
  (_, { start, real }) => {
    let t: ActionTarget;
    let recorder: FakeRecorder;
    let approvals: FakeApprovals;
    let logger: ReturnType<typeof capturingLogger>;
    let clusters: ClusterRegistry;
    const catalog = catalogServiceMock({ entities: exampleEntities() });
    const auth = mockServices.auth();

    beforeAll(async () => {
      t = await start();
      clusters = new ClusterRegistry([
        {
          name: 'sandbox',
          url: t.url,
          authProvider: 'serviceAccount',
          serviceAccountToken: t.token,
          caData: t.caData,
          skipTLSVerify: false,
        },
      ]);
      logger = capturingLogger();
    });

    afterAll(async () => {
      await t?.close();
    });

    beforeEach(() => {
      recorder = new FakeRecorder();
      approvals = new FakeApprovals();
      t.reset();
    });

    function actions(overrides: { approvals?: any } = {}) {
      const deployer = new ModelDeployer({
        clusters,
        logger,
        pollIntervalMs: t.pollIntervalMs,
        retry: { baseDelayMs: t.baseDelayMs },
      });
      const options = {
        catalog,
        auth,
        logger,
        clusters,
        deployer,
        recorder,
        approvals: overrides.approvals ?? approvals,
      };
      return {
        deploy: createDeployModelAction(options),
        undeploy: createUndeployModelAction(options),
      };
    }

    function outputOf(ctx: { output: unknown }, name: string) {
      return (ctx.output as jest.Mock).mock.calls.find(c => c[0] === name)?.[1];
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

    it.each(examples.map(e => [e.description, e.example]))(
      'runs the example "%s"',
      async (_description, example) => {
        const { deploy } = actions();
        const input = parse(example).steps[0].input;
        const ctx = context(input);
        await deploy.handler(ctx as any);
        expect(ctx.output).toHaveBeenCalledWith('deploymentId', 'dep-1');
        const objects = outputOf(ctx, 'objects');
        for (const o of objects) {
          const obj = await t.live(o.apiVersion, o.kind, o.namespace, o.name);
          expect(obj).toBeDefined();
          expect(obj.metadata.labels['aic.dev/team']).toBe('team-assistants');
        }
        const record = recorder.records.get('dep-1')!;
        expect(record.status).toBe('deploying');
        expect(record.deployedBy).toBe(GUEST);
        expect(record.updates.at(-1)?.status).toBe('deployed');
        // real pods, Running (the sandbox runs none)
        const model = input.model.split('/')[1];
        const pods = (
          await t.objects(input.namespace, `aic.dev/model=${model}`)
        ).filter(o => o.kind === 'Pod');
        expect(pods.length).toBeGreaterThanOrEqual(
          real ? input.replicas ?? 1 : 0,
        );
        for (const pod of pods) expect(pod.status.phase).toBe('Running');
      },
    );

    it('runs the undeploy example; nothing of the model is left', async () => {
      const { deploy, undeploy } = actions();
      const input = parse(undeployExamples[0].example).steps[0].input;
      await deploy.handler(context(input) as any);
      const ctx = context(input);
      await undeploy.handler(ctx as any);
      const deleted = outputOf(ctx, 'objects');
      expect(deleted).toHaveLength(2);
      // on a real control plane the garbage collector removes the pods
      const model = input.model.split('/')[1];
      while (
        (await t.objects(input.namespace, `aic.dev/model=${model}`)).length > 0
      ) {
        await new Promise(r => setTimeout(r, 250));
      }
      for (const o of deleted) {
        expect(
          await t.live(o.apiVersion, o.kind, o.namespace, o.name),
        ).toBeUndefined();
      }
      expect(recorder.records.get('dep-1')!.updates.at(-1)?.status).toBe(
        'undeployed',
      );
    });

    it('deploys an approval model once a request is approved, logging each step', async () => {
      approvals.approved.add(
        'model:default/llama-3-1-8b-instruct|group:default/team-assistants',
      );
      const { deploy } = actions();
      const ctx = context({
        model: 'model:default/llama-3-1-8b-instruct',
        team: 'group:default/team-assistants',
        namespace: 'team-assistants-dev',
        replicas: 2,
      });
      await deploy.handler(ctx as any);
      expect(ctx.output).toHaveBeenCalledWith(
        'endpoint',
        'http://llama-3-1-8b-instruct-1-0-0.team-assistants-dev.svc.cluster.local:8000',
      );
      expect(ctx.output).toHaveBeenCalledWith('cluster', 'sandbox');
      expect(recorder.records.get('dep-1')?.requestId).toBe(
        'req-model:default/llama-3-1-8b-instruct',
      );
      const text = logger.lines.join('\n');
      for (const step of [
        'checks passed',
        'dry-run ok',
        'applied Deployment team-assistants-dev/llama-3-1-8b-instruct-1-0-0',
        'applied Service team-assistants-dev/llama-3-1-8b-instruct-1-0-0',
        'waiting for rollout',
        'ready at http://llama-3-1-8b-instruct-1-0-0.team-assistants-dev',
      ]) {
        expect(text).toContain(step);
      }
    });

    describe('refuses before any cluster call', () => {
      it.each([
        [
          "another team's namespace",
          {
            model: 'model:default/multilingual-e5-large',
            team: 'group:default/team-assistants',
            namespace: 'team-vision',
          },
          /does not own namespace 'team-vision'/,
        ],
        [
          'a team the user is not in',
          {
            model: 'model:default/multilingual-e5-large',
            team: 'group:default/team-vision',
            namespace: 'team-vision',
          },
          /is not a member of group:default\/team-vision/,
        ],
        [
          'a model that needs approval without one',
          {
            model: 'model:default/llama-3-1-8b-instruct',
            team: 'group:default/team-assistants',
            namespace: 'team-assistants',
          },
          /no approved request/,
        ],
      ])('%s', async (_name, input, message) => {
        const { deploy } = actions();
        await expect(deploy.handler(context(input) as any)).rejects.toThrow(
          message,
        );
        expect(t.requestLog).toHaveLength(0);
        expect(recorder.records.size).toBe(0);
      });

      it('when the marketplace backend cannot be reached', async () => {
        const unreachable = MarketplaceGateway.create({
          auth,
          discovery: {
            getBaseUrl: async () => 'http://127.0.0.1:1/api/model-marketplace',
            getExternalBaseUrl: async () => 'http://127.0.0.1:1',
          },
        });
        const { deploy } = actions({ approvals: unreachable });
        await expect(
          deploy.handler(
            context({
              model: 'model:default/llama-3-1-8b-instruct',
              team: 'group:default/team-assistants',
              namespace: 'team-assistants',
            }) as any,
          ),
        ).rejects.toThrow(/marketplace backend did not answer/);
        expect(t.requestLog).toHaveLength(0);
      });

      it('without a user', async () => {
        const { deploy } = actions();
        const ctx = {
          ...context({
            model: 'model:default/multilingual-e5-large',
            team: 'group:default/team-assistants',
            namespace: 'team-assistants',
          }),
          user: undefined,
        };
        await expect(deploy.handler(ctx as any)).rejects.toThrow(/no user/);
        expect(t.requestLog).toHaveLength(0);
      });

      it('with invalid input', async () => {
        const { deploy } = actions();
        await expect(
          deploy.handler(
            context({
              model: 'model:default/multilingual-e5-large',
              team: 'group:default/team-assistants',
              namespace: 'team-assistants',
              replicas: 50,
            }) as any,
          ),
        ).rejects.toThrow();
        expect(t.requestLog).toHaveLength(0);
      });
    });

    it('deploys nothing when the inventory cannot record it', async () => {
      recorder.create = async () => {
        throw new Error('connect ECONNREFUSED');
      };
      const { deploy } = actions();
      const writes = t.writeCount();
      await expect(
        deploy.handler(
          context({
            model: 'model:default/multilingual-e5-large',
            team: 'group:default/team-assistants',
            namespace: 'team-assistants-dev',
          }) as any,
        ),
      ).rejects.toThrow(/Cannot record the deployment.*nothing was deployed/);
      expect(t.writeCount()).toBe(writes);
    });

    it('writes nothing in a dry run, and the KServe schema accepts the InferenceService', async () => {
      const { deploy } = actions();
      const writes = t.writeCount();
      const ctx = context(
        {
          model: 'model:default/bge-large-en-v1-5',
          team: 'group:default/team-assistants',
          namespace: 'team-assistants',
        },
        { isDryRun: true },
      );
      await deploy.handler(ctx as any);
      expect(t.writeCount()).toBe(writes);
      const dryRuns = t.requestLog.filter(r => r.query.includes('dryRun=All'));
      expect(dryRuns.length).toBeGreaterThanOrEqual(1);
      // kube-apiserver answers a dry-run apply that would create with 201
      expect(dryRuns.map(r => r.status)).toEqual(dryRuns.map(() => 201));
      expect(ctx.output).toHaveBeenCalledWith('deploymentId', 'dry-run');
      expect(recorder.records.size).toBe(0);
      expect(
        await t.live(
          'serving.kserve.io/v1beta1',
          'InferenceService',
          'team-assistants',
          'bge-large-en-v1-5-1-5-0-catalog-ft',
        ),
      ).toBeUndefined();
      expect(
        await t.objects('team-assistants', 'aic.dev/model=bge-large-en-v1-5'),
      ).toEqual([]);
    });

    it('rolls back and records the failure when cancelled while pods cannot start', async () => {
      const blocked = await t.blockPods('team-assistants');
      try {
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
          await t.live(
            'apps/v1',
            'Deployment',
            'team-assistants',
            'qwen2-5-coder-7b-instruct-2-5-0',
          ),
        ).toBeUndefined();
        expect(
          await t.live(
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
        await blocked.allow();
      }
    });

    // runs last: everything the actions logged above
    it('never logs the cluster token', () => {
      expect(logger.lines.length).toBeGreaterThan(10);
      expect(logger.lines.join('\n')).not.toContain(t.token);
    });
  },
);
