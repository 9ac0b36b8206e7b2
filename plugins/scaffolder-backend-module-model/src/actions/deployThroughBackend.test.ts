/*
 * model:deploy and model:undeploy through the real marketplace backend
 * (startTestBackend: the model-marketplace plugin with its database, the
 * scaffolder module with its MarketplaceGateway talking HTTP to it) against
 * the test cluster: operator limits, one live row per workload, undeploy of
 * exactly the recorded objects, failed rollbacks and the reconciler.
 */
import {
  RealTestClusterObjectRef as TestClusterObjectRef,
  startTestClusterForTests,
} from '@aic/kubernetes-testenv';
// The test runs the actions against the real marketplace backend plugin.
// eslint-disable-next-line @backstage/no-mixed-plugin-imports
import marketplacePlugin from '@aic/plugin-model-marketplace-backend';
import { MANAGED_BY_VALUE } from '@aic/plugin-model-marketplace-common';
import {
  ClusterRegistry,
  ModelDeployer,
  renderModelManifests,
} from '@aic/plugin-model-marketplace-node';
import {
  createBackendPlugin,
  createServiceFactory,
} from '@backstage/backend-plugin-api';
import {
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import { schedulerServiceFactory } from '@backstage/backend-defaults/scheduler';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { notificationService } from '@backstage/plugin-notifications-node';
import {
  TemplateAction,
  scaffolderActionsExtensionPoint,
} from '@backstage/plugin-scaffolder-node';
import { createMockActionContext } from '@backstage/plugin-scaffolder-node-test-utils';
import request from 'supertest';
import { capturingLogger } from '@aic/plugin-model-marketplace-node/testUtils';
import {
  exampleEntities,
  teamNamespaces,
  withMemberOfRelations,
  withRunNamespaces,
} from '../__testUtils__/fixtures';
import { scaffolderModuleModel } from '../module';

jest.setTimeout(120_000);

const TOKEN = 'through-backend-test-token-0123456789';
const GUEST = 'user:default/guest'; // team-assistants
const PRIYA = 'user:default/priya.raman'; // team-vision
const service = mockCredentials.service.header();

/** Polls `fn` until it returns a value other than undefined. */
async function waitFor<T>(
  what: string,
  fn: () => Promise<T | undefined>,
  timeoutMs = 60_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await fn();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`Timed out waiting for ${what}`);
    await new Promise(r => setTimeout(r, 100));
  }
}

describe('model actions through the marketplace backend', () => {
  let cluster: Awaited<ReturnType<typeof startTestClusterForTests>>;
  /** The namespace of this run for one of examples/org.yaml. */
  const ns = (name: string) => cluster.ns(name);
  let server: any;
  let actions: TemplateAction<any, any, any>[];
  const sent: any[] = [];
  const logger = capturingLogger();

  beforeAll(async () => {
    cluster = await startTestClusterForTests({
      namespaces: teamNamespaces(),
      token: TOKEN,
      rolloutDelayMs: 50,
    });
    actions = [];
    ({ server } = await startTestBackend({
      extensionPoints: [
        [
          scaffolderActionsExtensionPoint,
          { addActions: (...a: any[]) => actions.push(...a) },
        ],
      ],
      features: [
        // the real scheduler, whose REST API triggers the reconciler below
        schedulerServiceFactory,
        marketplacePlugin,
        scaffolderModuleModel,
        createBackendPlugin({
          pluginId: 'scaffolder',
          register(reg) {
            reg.registerInit({ deps: {}, async init() {} });
          },
        }),
        catalogServiceMock.factory({
          // with the memberOf relations the catalog would derive, which the
          // marketplace backend reads for membership
          entities: withMemberOfRelations(
            withRunNamespaces(exampleEntities(), ns),
          ),
        }),
        createServiceFactory({
          service: notificationService,
          deps: {},
          factory: () => ({
            send: async (n: any) => {
              sent.push(n);
            },
          }),
        }),
        mockServices.rootConfig.factory({
          data: {
            kubernetes: {
              clusterLocatorMethods: [
                {
                  type: 'config',
                  clusters: [
                    {
                      name: 'sandbox',
                      url: cluster.url,
                      authProvider: 'serviceAccount',
                      serviceAccountToken: cluster.token,
                      caData: cluster.caData,
                    },
                  ],
                },
              ],
            },
            modelMarketplace: {
              deploy: {
                // running deploys refresh their rows this often, so that a
                // staleAfter of 2 s only catches rows nobody works on
                heartbeatInterval: { milliseconds: 200 },
                limits: {
                  maxReplicas: 4,
                  maxGpusPerReplica: 2,
                  maxCpuPerReplica: '8',
                  maxMemoryPerReplica: '32Gi',
                  allowedRuntimes: ['kserve', 'vllm', 'tgi', 'container'],
                  allowedImages: [
                    'ghcr.io/huggingface/',
                    'vllm/vllm-openai:',
                    'kserve/',
                  ],
                },
              },
              deployments: {
                // runs only when triggered below
                reconcile: { frequency: { hours: 1 }, staleAfter: 'PT2S' },
              },
            },
          },
        }),
      ],
    }));
  });

  afterAll(async () => {
    await cluster?.close();
  });

  const action = (id: string) => actions.find(a => a.id === id)!;

  function context(input: Record<string, unknown>, user = GUEST) {
    return createMockActionContext({
      input: input as any,
      logger: logger as any,
      user: { ref: user },
    });
  }

  async function live(model?: string) {
    const res = await request(server)
      .get('/api/model-marketplace/deployments')
      .query(model ? { model } : {})
      .set('Authorization', service);
    expect(res.status).toBe(200);
    return res.body.items as any[];
  }

  async function history(deploymentId: string) {
    const res = await request(server)
      .get('/api/model-marketplace/deployments/history')
      .query({ deploymentId })
      .set('Authorization', service);
    expect(res.status).toBe(200);
    return (res.body.items as any[]).map(e => e.event).reverse();
  }

  async function reconcile() {
    const res = await request(server)
      .post(
        '/api/model-marketplace/.backstage/scheduler/v1/tasks/model-marketplace-deployment-reconciler/trigger',
      )
      .set('Authorization', service);
    // 409 while a run is already in progress
    expect([200, 409]).toContain(res.status);
  }

  const key = (r: TestClusterObjectRef) => `${r.kind} ${r.namespace}/${r.name}`;

  /** The managed objects in the cluster equal those of the deployed rows. */
  async function expectInventoryMatchesCluster() {
    const rows = await live();
    const recorded = rows
      .filter(r => r.status === 'deployed')
      .flatMap(r => r.objects)
      .map(key)
      .sort();
    const inCluster = (await cluster.listManaged(MANAGED_BY_VALUE))
      .map(key)
      .sort();
    expect(inCluster).toEqual(recorded);
  }

  describe('operator limits', () => {
    const refusals: Array<
      [string, string, Record<string, unknown>, (team: string) => RegExp]
    > = [
      [
        'more replicas than maxReplicas',
        'model:default/multilingual-e5-large',
        { replicas: 5 },
        team =>
          new RegExp(
            `Deployment ${team}/multilingual-e5-large-1-0-0 asks for 5 replicas \\(modelMarketplace\\.deploy\\.limits\\.maxReplicas is 4\\)`,
          ),
      ],
      [
        'a model whose own serving.replicas.max is over the limit',
        'model:default/distilbert-ticket-router',
        {},
        team =>
          new RegExp(
            `InferenceService ${team}/distilbert-ticket-router-\\S+ asks for 5 replicas \\(modelMarketplace\\.deploy\\.limits\\.maxReplicas is 4\\)`,
          ),
      ],
      [
        'an image from a registry that is not allowed',
        'model:default/chronos-t5-small',
        {},
        () =>
          /uses image 'registry\.acme\.internal\/ml-platform\/chronos-server:0\.3\.1' \(modelMarketplace\.deploy\.limits\.allowedImages is \["ghcr\.io\/huggingface\/","vllm\/vllm-openai:","kserve\/"\]\)/,
      ],
    ];
    it.each(refusals)(
      'refuses %s before any cluster call',
      async (_name, model, extra, message) => {
        const writes = cluster.writeCount();
        await expect(
          action('model:deploy').handler(
            context({
              model,
              team: 'group:default/team-assistants',
              namespace: ns('team-assistants'),
              ...extra,
            }) as any,
          ),
        ).rejects.toThrow(message(ns('team-assistants')));
        expect(cluster.writeCount()).toBe(writes);
        expect(await live(model)).toEqual([]);
      },
    );
  });

  it('keeps one live row per workload across re-deploys, and undeploys exactly the recorded objects', async () => {
    const model = 'model:default/multilingual-e5-large';
    const input = {
      model,
      team: 'group:default/team-assistants',
      namespace: ns('team-assistants-dev'),
    };
    const first = context(input);
    await action('model:deploy').handler(first as any);
    const id = (first.output as jest.Mock).mock.calls.find(
      c => c[0] === 'deploymentId',
    )[1];
    await action('model:deploy').handler(
      context({ ...input, replicas: 2 }) as any,
    );
    const rows = await live(model);
    expect(rows.map(r => [r.id, r.status])).toEqual([[id, 'deployed']]);
    expect(await history(id)).toEqual([
      'deploying',
      'deployed',
      'deploying',
      'updated',
    ]);
    await expectInventoryMatchesCluster();

    // someone else may not undeploy it: not a member of the team
    await expect(
      action('model:undeploy').handler(
        context({ ...input, deploymentId: id }, PRIYA) as any,
      ),
    ).rejects.toThrow(/is not a member of group:default\/team-assistants/);
    // nor name the row under another namespace of the team
    await expect(
      action('model:undeploy').handler(
        context({
          ...input,
          namespace: ns('team-assistants'),
          deploymentId: id,
        }) as any,
      ),
    ).rejects.toThrow(
      new RegExp(`recorded with namespace ${ns('team-assistants-dev')}`),
    );

    // The row records which objects to delete; an object the row does not
    // list, even one with the model's labels and a rendered-looking name,
    // stays.
    const recorded = rows[0].objects as TestClusterObjectRef[];
    const undeploy = context({ ...input, deploymentId: id });
    await action('model:undeploy').handler(undeploy as any);
    const deleted = (undeploy.output as jest.Mock).mock.calls.find(
      c => c[0] === 'objects',
    )[1];
    expect(deleted.map(key).sort()).toEqual(recorded.map(key).sort());
    for (const o of recorded) {
      expect(await cluster.get(o)).toBeUndefined();
    }
    expect(await live(model)).toEqual([]);
    expect(await history(id)).toEqual([
      'deploying',
      'deployed',
      'deploying',
      'updated',
      'undeployed',
    ]);
    await expect(
      action('model:undeploy').handler(
        context({ ...input, deploymentId: id }) as any,
      ),
    ).rejects.toThrow(/No live deployment with id/);
    await expectInventoryMatchesCluster();
  });

  it('lets one of two concurrent deploys of a workload run and refuses the other with 409', async () => {
    const input = {
      model: 'model:default/bge-large-en-v1-5',
      team: 'group:default/team-assistants',
      namespace: ns('team-assistants-dev'),
    };
    const results = await Promise.allSettled([
      action('model:deploy').handler(context(input) as any),
      action('model:deploy').handler(context(input) as any),
    ]);
    const refused = results.filter(
      (r): r is PromiseRejectedResult => r.status === 'rejected',
    );
    // Both may also succeed one after the other if the first finished
    // before the second recorded; never two rows.
    for (const r of refused) {
      expect(r.reason.message).toMatch(/Nothing was deployed: .*is deploying/);
    }
    const rows = await live(input.model);
    expect(rows).toHaveLength(1);
    expect(rows[0].status).toBe('deployed');
    await expectInventoryMatchesCluster();
    await action('model:undeploy').handler(
      context({ ...input, deploymentId: rows[0].id }) as any,
    );
  });

  it('reports a failed rollback, marks the leftovers, notifies the team, and the reconciler clears it', async () => {
    const input = {
      model: 'model:default/bge-large-en-v1-5',
      team: 'group:default/team-assistants',
      namespace: ns('team-assistants'),
      timeoutSeconds: 1,
    };
    const name = 'bge-large-en-v1-5-1-5-0-catalog-ft';
    await cluster.setReadiness('never-ready', {
      namespace: input.namespace,
      name,
    });
    // every attempt of the rollback's delete fails (5 attempts)
    cluster.failDeletes(name, 5);
    sent.length = 0;
    const ctx = context(input);
    await expect(action('model:deploy').handler(ctx as any)).rejects.toThrow(
      new RegExp(
        `was not ready after 1s.*rollback failed, left in the cluster: InferenceService ${input.namespace}/bge-large-en-v1-5-1-5-0-catalog-ft`,
      ),
    );
    expect(logger.lines.join('\n')).toMatch(
      /rollback failed, left in the cluster: InferenceService/,
    );
    expect(ctx.output).toHaveBeenCalledWith('rollbackFailed', [
      expect.objectContaining({ kind: 'InferenceService', name }),
    ]);
    const [row] = await live(input.model);
    expect(row).toMatchObject({
      status: 'rollback-failed',
      objects: [expect.objectContaining({ name })],
    });
    expect(await cluster.get(row.objects[0])).toBeDefined();
    await waitFor('the team notification', async () =>
      sent.find(
        n =>
          n.payload.title.includes('Rollback of') &&
          n.recipients.entityRef.includes('group:default/team-assistants'),
      ),
    );

    // the reconciler retries and clears it
    await reconcile();
    const cleared = await waitFor('the reconciler', async () => {
      const rows = await live(input.model);
      return rows[0]?.status === 'rolled-back' ? rows[0] : undefined;
    });
    expect(cleared.objects).toEqual([]);
    expect(await cluster.get(row.objects[0])).toBeUndefined();
    expect(await history(row.id)).toEqual([
      'deploying',
      'rollback-failed',
      'rolled-back',
    ]);
    await expectInventoryMatchesCluster();
    await cluster.setReadiness('ready', { namespace: input.namespace, name });
  });

  it('has the reconciler finish a stuck deploy that is ready, and roll back one that is not', async () => {
    // Rows left `deploying` by a deploy that died after applying: recorded
    // through the API as the action records them, objects applied directly.
    const deployer = new ModelDeployer({
      clusters: new ClusterRegistry([
        {
          name: 'sandbox',
          url: cluster.url,
          authProvider: 'serviceAccount',
          serviceAccountToken: cluster.token,
          caData: cluster.caData,
          skipTLSVerify: false,
        },
      ]),
      logger,
    });
    const entities = exampleEntities();
    // an approved request for the one that the reconciler will finish
    const requested = await request(server)
      .post('/api/model-marketplace/requests')
      .set('Authorization', mockCredentials.user.header(GUEST))
      .send({
        model: 'model:default/multilingual-e5-large',
        team: 'group:default/team-assistants',
        purpose: 'Embeddings for search',
      });
    expect(requested.body).toMatchObject({ status: 'approved' });
    const stuck = async (
      modelName: string,
      namespace: string,
      requestId?: string,
    ) => {
      const model = entities.find(e => e.metadata.name === modelName) as any;
      const rendered = renderModelManifests({
        model,
        team: 'group:default/team-assistants',
        namespace,
      });
      if (modelName === 'qwen2-5-coder-7b-instruct') {
        await cluster.setReadiness('never-ready', {
          namespace,
          name: rendered.name,
        });
      }
      const res = await request(server)
        .post('/api/model-marketplace/deployments')
        .set('Authorization', service)
        .send({
          model: `model:default/${modelName}`,
          version: rendered.version,
          team: 'group:default/team-assistants',
          cluster: 'sandbox',
          namespace,
          objects: rendered.objects.map(o => ({
            apiVersion: o.apiVersion,
            kind: o.kind,
            namespace: o.metadata.namespace,
            name: o.metadata.name,
          })),
          status: 'deploying',
          deployedBy: GUEST,
          ...(requestId ? { requestId } : {}),
        });
      expect(res.status).toBe(201);
      await deployer.deploy({
        cluster: 'sandbox',
        objects: rendered.objects,
        noWait: true,
      });
      return res.body.id as string;
    };
    const ready = await stuck(
      'multilingual-e5-large',
      ns('team-assistants'),
      requested.body.id,
    );
    // in the other namespace: on the real control plane readiness is steered
    // per namespace
    const notReady = await stuck(
      'qwen2-5-coder-7b-instruct',
      ns('team-assistants-dev'),
    );
    // wait until the ready one is ready and both are older than staleAfter
    await waitFor('the rollout', async () =>
      (
        await deployer.inspect(
          'sandbox',
          (await live()).find(r => r.id === ready)!.objects,
        )
      ).readiness?.state === 'ready'
        ? true
        : undefined,
    );
    // staleAfter is 2 s: trigger until the rows are old enough and handled
    const rows = await waitFor('the reconciler', async () => {
      await reconcile();
      const all = await live();
      const a = all.find(r => r.id === ready);
      const b = all.find(r => r.id === notReady);
      return a?.status !== 'deploying' && b?.status !== 'deploying'
        ? { a, b }
        : undefined;
    });
    expect(rows.a.status).toBe('deployed');
    // the request moves along as when the deploy itself finishes
    const req = await request(server)
      .get(`/api/model-marketplace/requests/${requested.body.id}`)
      .set('Authorization', mockCredentials.user.header(GUEST));
    expect(req.body.status).toBe('deployed');
    expect(rows.b.status).toBe('rolled-back');
    expect(rows.b.message).toMatch(/rolled back by the reconciler/);
    expect(await history(notReady)).toEqual(['deploying', 'rolled-back']);
    await expectInventoryMatchesCluster();
    expect(sent.some(n => n.payload.title.includes('was rolled back'))).toBe(
      true,
    );
  });
});
