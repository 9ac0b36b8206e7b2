import {
  coreServices,
  createServiceFactory,
  type SchedulerServiceTaskInvocationDefinition,
  type SchedulerServiceTaskScheduleDefinition,
} from '@backstage/backend-plugin-api';
import { metricsServiceRef } from '@backstage/backend-plugin-api/alpha';
import { mockServices } from '@backstage/backend-test-utils';
import type { JsonObject } from '@backstage/types';
import request from 'supertest';
import { loadExampleEntities } from './__testUtils__/exampleEntities';
import { onDemandMeter } from './__testUtils__/onDemandMeter';
import { startMarketplace, users } from './__testUtils__/startMarketplace';

/*
 * The wiring of plugin.ts that the HTTP tests do not see: the settings it
 * reads, the gauges it feeds, the request resource it registers with the
 * permission framework and the tasks it schedules.
 */

jest.setTimeout(60_000);

type Task = SchedulerServiceTaskInvocationDefinition &
  SchedulerServiceTaskScheduleDefinition;

/** A scheduler that keeps the tasks it is given; the test runs them. */
function taskRecorder() {
  const tasks = new Map<string, Task>();
  const factory = createServiceFactory({
    service: coreServices.scheduler,
    deps: {},
    factory: () =>
      ({
        scheduleTask: async (task: Task) => {
          tasks.set(task.id, task);
        },
      } as any),
  });
  return { tasks, factory };
}

function meters() {
  const { meter, points } = onDemandMeter('model-marketplace');
  const factory = createServiceFactory({
    service: metricsServiceRef,
    deps: {},
    factory: () => meter,
  });
  return { factory, points };
}

const settings = (deployments: JsonObject) =>
  mockServices.rootConfig.factory({
    data: { modelMarketplace: { deployments } },
  });

describe('the plugin wiring', () => {
  const scheduler = taskRecorder();
  const metrics = meters();
  let server: Awaited<ReturnType<typeof startMarketplace>>['server'];
  const api = () => request(server);
  let requestId = '';

  beforeAll(async () => {
    ({ server } = await startMarketplace({
      features: [
        scheduler.factory,
        metrics.factory,
        settings({
          statusCacheTtl: { seconds: 2 },
          reconcile: { frequency: { minutes: 3 }, staleAfter: '20m' },
        }),
      ],
    }));
  });

  it('schedules the reconciler at the configured frequency and runs it', async () => {
    const reconciler = scheduler.tasks.get(
      'model-marketplace-deployment-reconciler',
    );
    expect(reconciler).toMatchObject({
      frequency: { minutes: 3 },
      initialDelay: { seconds: 5 },
    });
    // nothing is stale in a new database: the pass finds nothing to do
    await expect(
      reconciler!.fn(new AbortController().signal),
    ).resolves.toBeUndefined();
    const outbox = scheduler.tasks.get('model-marketplace-notification-outbox');
    expect(outbox?.frequency).toEqual({ seconds: 10 });
    await expect(
      outbox!.fn(new AbortController().signal),
    ).resolves.toBeUndefined();
  });

  it('reports the index size and the pending requests per policy', async () => {
    const models = loadExampleEntities().filter(e => e.kind === 'Model');
    // the index is built in the background after the start
    const deadline = Date.now() + 30_000;
    let indexed = await metrics.points('model_marketplace.index.models');
    while (indexed[0]?.value !== models.length && Date.now() < deadline) {
      await new Promise(r => setTimeout(r, 50));
      indexed = await metrics.points('model_marketplace.index.models');
    }
    expect(indexed).toEqual([{ attributes: {}, value: models.length }]);

    const created = await api()
      .post('/api/model-marketplace/requests')
      .set('Authorization', users.guest)
      .send({
        model: 'llama-3-1-70b-instruct',
        team: 'team-assistants',
        purpose: 'Summaries of support tickets',
      });
    expect(created.status).toBe(201);
    expect(created.body.status).toBe('pending');
    const pending = await metrics.points('model_marketplace.requests.pending');
    // the model's policy is restricted
    expect(pending).toEqual(
      expect.arrayContaining([
        { attributes: { policy: 'restricted' }, value: 1 },
        { attributes: { policy: 'approval' }, value: 0 },
      ]),
    );
    requestId = created.body.id;
  });

  it('answers the permission framework for request resources by id', async () => {
    // the pending request of the test above
    const approverCondition = (claims: string[]) => ({
      rule: 'IS_REQUEST_APPROVER',
      resourceType: 'model-marketplace-request',
      params: { claims },
    });
    const res = await api()
      .post(
        '/api/model-marketplace/.well-known/backstage/permissions/apply-conditions',
      )
      .set('Authorization', users.service)
      .send({
        items: [
          {
            id: 'approver',
            resourceRef: requestId,
            resourceType: 'model-marketplace-request',
            conditions: approverCondition(['group:default/ai-governance']),
          },
          {
            id: 'requester',
            resourceRef: requestId,
            resourceType: 'model-marketplace-request',
            conditions: approverCondition(['group:default/team-assistants']),
          },
        ],
      });
    expect(res.status).toBe(200);
    expect(res.body.items).toEqual([
      { id: 'approver', result: 'ALLOW' },
      { id: 'requester', result: 'DENY' },
    ]);
  });
});

describe('the plugin settings', () => {
  it.each([
    ['deployments.statusCacheTtl', { statusCacheTtl: 'soon' }],
    ['deployments.reconcile.staleAfter', { reconcile: { staleAfter: 'x' } }],
    ['deployments.reconcile.frequency', { reconcile: { frequency: 5 } }],
  ])('refuses to start with a bad %s, naming it', async (key, deployments) => {
    await expect(
      startMarketplace({ features: [settings(deployments)] }),
    ).rejects.toThrow(key);
  });
});
