/*
 * The refusal, failure and recovery paths of model:deploy and
 * model:undeploy, on the Kubernetes sandbox (its fault injection and
 * workload behaviours stand for a cluster that misbehaves). The happy paths
 * and the real control plane are in createDeployModelAction.test.ts.
 */
import {
  KubernetesSandbox,
  startKubernetesSandbox,
} from '@aic/kubernetes-sandbox';
import {
  ClusterRegistry,
  ModelDeployer,
} from '@aic/plugin-model-marketplace-node';
import { capturingLogger } from '@aic/plugin-model-marketplace-node/testUtils';
import { mockServices } from '@backstage/backend-test-utils';
import { ConfigReader } from '@backstage/config';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { createMockActionContext } from '@backstage/plugin-scaffolder-node-test-utils';
import {
  FakeApprovals,
  FakeRecorder,
  exampleEntities,
  teamNamespaces,
} from '../__testUtils__/fixtures';
import {
  createDeployModelAction,
  messageOf,
  resolveModelActionOptions,
} from './createDeployModelAction';
import { createUndeployModelAction } from './createUndeployModelAction';

const GUEST = 'user:default/guest';
const TOKEN = 'scaffolder-failures-token-0123456789';
const E5 = {
  model: 'model:default/multilingual-e5-large',
  team: 'group:default/team-assistants',
  namespace: 'team-assistants-dev',
};

jest.setTimeout(120_000);

describe('model:deploy and model:undeploy when things go wrong', () => {
  let sandbox: KubernetesSandbox;
  let clusters: ClusterRegistry;
  let recorder: FakeRecorder;
  let logger: ReturnType<typeof capturingLogger>;
  const catalog = catalogServiceMock({ entities: exampleEntities() });
  const auth = mockServices.auth();

  beforeAll(async () => {
    sandbox = await startKubernetesSandbox({
      tokens: { [TOKEN]: teamNamespaces() },
      namespaces: teamNamespaces(),
      rolloutDelayMs: 20,
    });
    clusters = registryFor(sandbox);
  });

  afterAll(async () => {
    await sandbox?.close();
  });

  beforeEach(() => {
    recorder = new FakeRecorder();
    logger = capturingLogger();
    sandbox.setDefaultBehavior('ready');
    sandbox.clearRequestLog();
  });

  // each test starts from a sandbox without model workloads
  afterEach(async () => {
    const ours = sandbox
      .listObjects()
      .filter(
        o =>
          o.metadata?.labels?.['app.kubernetes.io/managed-by'] ===
            'model-marketplace' &&
          ['Deployment', 'Service', 'InferenceService'].includes(o.kind),
      )
      .map(o => ({
        apiVersion: o.apiVersion,
        kind: o.kind,
        namespace: o.metadata.namespace,
        name: o.metadata.name,
      }));
    await new ModelDeployer({ clusters, logger }).undeploy({
      cluster: 'sandbox',
      objects: ours,
    });
  });

  function registryFor(s: KubernetesSandbox) {
    return new ClusterRegistry([
      {
        name: 'sandbox',
        url: s.url,
        authProvider: 'serviceAccount',
        serviceAccountToken: TOKEN,
        caData: s.caData,
        skipTLSVerify: false,
      },
    ]);
  }

  function actions(
    extra: { heartbeatIntervalMs?: number; clusters?: ClusterRegistry } = {},
  ) {
    const target = extra.clusters ?? clusters;
    const options = {
      catalog,
      auth,
      logger,
      clusters: target,
      deployer: new ModelDeployer({
        clusters: target,
        logger,
        pollIntervalMs: 20,
        retry: { baseDelayMs: 5, maxDelayMs: 20 },
      }),
      recorder,
      approvals: new FakeApprovals(),
      ...extra,
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

  async function deployE5(input: Record<string, unknown> = E5) {
    const ctx = context(input);
    await actions().deploy.handler(ctx as any);
    return outputOf(ctx, 'deploymentId') as string;
  }

  describe('options', () => {
    it('needs clusters or config', () => {
      expect(() =>
        resolveModelActionOptions({ catalog, auth, logger }),
      ).toThrow('model actions need either clusters or config');
    });

    it('needs discovery unless both a recorder and approvals are given', () => {
      expect(() =>
        resolveModelActionOptions({
          catalog,
          auth,
          logger,
          clusters,
          recorder,
        }),
      ).toThrow(/need discovery, or both a recorder and an approval checker/);
    });

    it('builds the clusters and limits from config', () => {
      const resolved = resolveModelActionOptions({
        catalog,
        auth,
        logger,
        config: new ConfigReader({
          kubernetes: {
            clusterLocatorMethods: [
              {
                type: 'config',
                clusters: [
                  {
                    name: 'from-config',
                    url: sandbox.url,
                    authProvider: 'serviceAccount',
                    serviceAccountToken: TOKEN,
                    caData: sandbox.caData,
                  },
                ],
              },
            ],
          },
        }),
        discovery: mockServices.discovery(),
      });
      expect(resolved.clusters.listClusterNames()).toEqual(['from-config']);
      // with a gateway as both recorder and approval checker
      expect(resolved.recorder).toBe(resolved.approvals);
    });
  });

  describe('messageOf', () => {
    it("prefers a marketplace answer's message", () => {
      expect(
        messageOf({ body: { error: { message: 'row is finished' } } }),
      ).toBe('row is finished');
      expect(messageOf(new Error('plain'))).toBe('plain');
      expect(messageOf('a string')).toBe('a string');
    });
  });

  describe('model:deploy', () => {
    it('says nothing was deployed when the inventory answers 409', async () => {
      recorder.create = async () => {
        throw Object.assign(new Error('conflict'), {
          statusCode: 409,
          body: { error: { message: 'already deploying' } },
        });
      };
      const writes = sandbox.writeCount();
      await expect(
        actions().deploy.handler(context(E5) as any),
      ).rejects.toThrow('Nothing was deployed: already deploying');
      expect(sandbox.writeCount()).toBe(writes);
    });

    it('rolls back and records failed when the rollout exceeds its deadline', async () => {
      sandbox.setDefaultBehavior('progress-deadline-exceeded');
      await expect(
        actions().deploy.handler(context(E5) as any),
      ).rejects.toThrow(/ProgressDeadlineExceeded|deadline/i);
      const record = recorder.records.get('dep-1')!;
      expect(record.updates.at(-1)).toMatchObject({
        status: 'failed',
        objects: [],
      });
      expect(
        sandbox.getObject(
          'apps/v1',
          'Deployment',
          'team-assistants-dev',
          'multilingual-e5-large-1-0-0',
        ),
      ).toBeUndefined();
    });

    it('records rollback-failed and names the leftovers when deleting fails too', async () => {
      // its own sandbox: the injected faults must not reach the other tests
      const broken = await startKubernetesSandbox({
        tokens: { [TOKEN]: teamNamespaces() },
        namespaces: teamNamespaces(),
        rolloutDelayMs: 20,
      });
      try {
        broken.setDefaultBehavior('progress-deadline-exceeded');
        broken.injectFaults({
          kind: '500',
          count: 1000,
          match: { method: 'DELETE' },
        });
        const ctx = context(E5);
        await expect(
          actions({ clusters: registryFor(broken) }).deploy.handler(ctx as any),
        ).rejects.toThrow(
          /rollback failed, left in the cluster: .*Deployment team-assistants-dev\/multilingual-e5-large-1-0-0.*marketplace retries the cleanup/s,
        );
        const leftovers = outputOf(ctx, 'rollbackFailed');
        expect(leftovers.map((r: { kind: string }) => r.kind).sort()).toEqual([
          'Deployment',
          'Service',
        ]);
        const last = recorder.records.get('dep-1')!.updates.at(-1)!;
        expect(last.status).toBe('rollback-failed');
        expect(last.objects).toEqual(leftovers);
        expect(
          broken.getObject(
            'apps/v1',
            'Deployment',
            'team-assistants-dev',
            'multilingual-e5-large-1-0-0',
          ),
        ).toBeDefined();
      } finally {
        await broken.close();
      }
    });

    it('stops waiting and rolls back when the inventory row was finished by someone else', async () => {
      sandbox.setDefaultBehavior('never-ready');
      const original = recorder.update.bind(recorder);
      recorder.update = async (id, request) => {
        if (request.status === 'deploying') {
          throw Object.assign(new Error('row finished'), {
            statusCode: 409,
            body: { error: { message: 'deployment is failed' } },
          });
        }
        return original(id, request);
      };
      await expect(
        actions({ heartbeatIntervalMs: 20 }).deploy.handler(
          context({ ...E5, timeoutSeconds: 60 }) as any,
        ),
      ).rejects.toThrow('Deploy cancelled');
      expect(logger.lines.join('\n')).toContain(
        'finished by someone else: deployment is failed',
      );
      expect(
        sandbox.getObject(
          'apps/v1',
          'Deployment',
          'team-assistants-dev',
          'multilingual-e5-large-1-0-0',
        ),
      ).toBeUndefined();
    });

    it('accepts a row the reconciler already recorded as deployed', async () => {
      const original = recorder.update.bind(recorder);
      recorder.update = async (id, request) => {
        if (request.status === 'deployed') {
          await original(id, request);
          throw new Error('expected status deploying');
        }
        return original(id, request);
      };
      const ctx = context(E5);
      await actions().deploy.handler(ctx as any);
      expect(ctx.output).toHaveBeenCalledWith('deploymentId', 'dep-1');
      expect(logger.lines.join('\n')).toContain(
        'deployment dep-1 was already recorded as deployed',
      );
    });

    it('fails when the deployed state cannot be recorded', async () => {
      recorder.update = async (_id, request) => {
        if (request.status === 'deployed') {
          throw new Error('inventory is down');
        }
      };
      await expect(
        actions().deploy.handler(context(E5) as any),
      ).rejects.toThrow('inventory is down');
      expect(logger.lines.join('\n')).toContain(
        'Could not record deployment dep-1 as deployed: inventory is down',
      );
    });

    it('still fails with the cause when the failed state cannot be recorded', async () => {
      sandbox.setDefaultBehavior('progress-deadline-exceeded');
      recorder.update = async () => {
        throw new Error('inventory is down');
      };
      recorder.get = async () => {
        throw new Error('inventory is down');
      };
      await expect(
        actions().deploy.handler(context(E5) as any),
      ).rejects.toThrow(/deadline/i);
      expect(logger.lines.join('\n')).toContain(
        'Could not record deployment dep-1 as failed: inventory is down',
      );
    });

    it('runs without a cancellation signal or step id', async () => {
      const ctx = { ...context(E5), signal: undefined, step: undefined };
      await actions().deploy.handler(ctx as any);
      expect(ctx.output).toHaveBeenCalledWith('deploymentId', 'dep-1');
    });
  });

  describe('model:undeploy', () => {
    it('refuses an unknown deployment id and deletes nothing', async () => {
      await deployE5();
      const writes = sandbox.writeCount();
      await expect(
        actions().undeploy.handler(
          context({ ...E5, deploymentId: 'dep-404' }) as any,
        ),
      ).rejects.toThrow(
        'No live deployment with id dep-404; nothing was deleted',
      );
      expect(sandbox.writeCount()).toBe(writes);
    });

    it('refuses a deployment id recorded for another namespace', async () => {
      const id = await deployE5();
      await expect(
        actions().undeploy.handler(
          context({
            ...E5,
            namespace: 'team-assistants',
            deploymentId: id,
          }) as any,
        ),
      ).rejects.toThrow(
        `Deployment ${id} is recorded with namespace team-assistants-dev, not team-assistants; nothing was deleted`,
      );
    });

    it('says what is not recorded, with and without a version', async () => {
      await expect(
        actions().undeploy.handler(context(E5) as any),
      ).rejects.toThrow(
        'No deployment of model:default/multilingual-e5-large by group:default/team-assistants is recorded in sandbox/team-assistants-dev; nothing was deleted',
      );
      await expect(
        actions().undeploy.handler(context({ ...E5, version: '9.9.9' }) as any),
      ).rejects.toThrow(/multilingual-e5-large@9\.9\.9 by/);
    });

    it('asks which one when several deployments match', async () => {
      await deployE5();
      await recorder.create({
        ...recorder.records.get('dep-1')!,
        version: '0.9.0',
        status: 'deployed',
      });
      await expect(
        actions().undeploy.handler(context(E5) as any),
      ).rejects.toThrow(
        /2 deployments of model:default\/multilingual-e5-large are recorded in sandbox\/team-assistants-dev \(versions 1\.0\.0, 0\.9\.0\); name one with deploymentId or version/,
      );
    });

    it('refuses while the deploy is still running', async () => {
      await recorder.create({
        model: E5.model,
        version: '1.0.0',
        team: E5.team,
        cluster: 'sandbox',
        namespace: E5.namespace,
        workload: 'multilingual-e5-large-1-0-0',
        objects: [],
        status: 'deploying',
        deployedBy: GUEST,
      });
      await expect(
        actions().undeploy.handler(context(E5) as any),
      ).rejects.toThrow(
        'Deployment dep-1 is deploying; wait until the deploy has finished',
      );
    });

    it('deletes nothing in a dry run and outputs what it would delete', async () => {
      const id = await deployE5();
      const writes = sandbox.writeCount();
      const ctx = context({ ...E5, deploymentId: id }, { isDryRun: true });
      await actions().undeploy.handler(ctx as any);
      expect(sandbox.writeCount()).toBe(writes);
      expect(outputOf(ctx, 'objects')).toHaveLength(2);
      expect(logger.lines.join('\n')).toContain('dry run: would delete 2');
      expect(
        recorder.records.get(id)!.updates.some(u => u.status === 'undeployed'),
      ).toBe(false);
    });

    it('counts objects that are already gone', async () => {
      const id = await deployE5();
      const record = recorder.records.get(id)!;
      const service = record.objects.find(o => o.kind === 'Service')!;
      // someone deleted the Service by hand
      await new ModelDeployer({ clusters, logger }).undeploy({
        cluster: 'sandbox',
        objects: [service],
      });
      const ctx = context({ ...E5, deploymentId: id });
      await actions().undeploy.handler(ctx as any);
      expect(outputOf(ctx, 'objects')).toHaveLength(1);
      expect(record.updates.at(-1)).toMatchObject({
        status: 'undeployed',
        message: 'deleted 1 objects, 1 already gone',
      });
    });

    it('reports objects deleted when the inventory row cannot be removed', async () => {
      const id = await deployE5();
      recorder.update = async () => {
        throw Object.assign(new Error('conflict'), {
          body: { error: { message: 'row changed meanwhile' } },
        });
      };
      await expect(
        actions().undeploy.handler(context({ ...E5, deploymentId: id }) as any),
      ).rejects.toThrow(
        'Deleted 2 objects but could not remove the inventory row: row changed meanwhile',
      );
    });
  });
});
