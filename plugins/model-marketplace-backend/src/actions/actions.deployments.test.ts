import { actionsRegistryServiceFactory } from '@backstage/backend-defaults/alpha';
import { createBackendModule } from '@backstage/backend-plugin-api';
import { mockServices } from '@backstage/backend-test-utils';
import { NotAllowedError } from '@backstage/errors';
import scaffolderPlugin from '@backstage/plugin-scaffolder-backend';
import {
  createTemplateAction,
  scaffolderActionsExtensionPoint,
} from '@backstage/plugin-scaffolder-node';
import request from 'supertest';
import { startMarketplace, users } from '../__testUtils__/startMarketplace';

/*
 * deploy-model, undeploy-model and get-deployment-task through the real
 * scaffolder backend: the actions start the deploy and undeploy templates as
 * the caller and follow their tasks. The templates' steps here are
 * stand-ins for model:deploy and model:undeploy (that module depends on this
 * plugin, not the other way round; packages/backend runs the real ones):
 * they refuse, pass their checks and finish, or pass their checks and wait,
 * as the namespace they are given says.
 */

jest.setTimeout(120_000);

const { guest, service } = users;

/** Releases the stand-in deploys that wait after their checks. */
let releaseWaiting: () => void = () => {};
let waiting = new Promise<void>(r => {
  releaseWaiting = r;
});

const standIns = createBackendModule({
  pluginId: 'scaffolder',
  moduleId: 'model-action-stand-ins',
  register(env) {
    env.registerInit({
      deps: { scaffolder: scaffolderActionsExtensionPoint },
      async init({ scaffolder }) {
        const make = (id: string) =>
          createTemplateAction({
            id,
            schema: {
              input: {
                model: z => z.string(),
                team: z => z.string(),
                namespace: z => z.string(),
                cluster: z => z.string().optional(),
                deploymentId: z => z.string().optional(),
              },
            },
            async handler(ctx) {
              const { namespace } = ctx.input;
              if (namespace === 'refused') {
                throw new NotAllowedError(
                  `${ctx.user?.ref} is not a member of ${ctx.input.team}`,
                );
              }
              if (namespace === 'slow-checks') {
                await waiting;
                return;
              }
              ctx.logger.info(`checks passed: ${ctx.user?.ref} may go on`);
              if (namespace === 'waits') {
                await waiting;
                throw new Error('pods never became ready');
              }
              ctx.logger.info('done');
            },
          });
        scaffolder.addActions(make('model:deploy'), make('model:undeploy'));
      },
    });
  },
});

const template = (name: string, action: string) => ({
  apiVersion: 'scaffolder.backstage.io/v1beta3',
  kind: 'Template',
  metadata: { name, namespace: 'default' },
  spec: {
    type: 'service',
    parameters: [],
    steps: [
      {
        id: 'run',
        name: 'Run',
        action,
        input: {
          model: '${{ parameters.model }}',
          team: '${{ parameters.team }}',
          namespace: '${{ parameters.namespace }}',
          cluster: '${{ parameters.cluster }}',
          deploymentId: '${{ parameters.deploymentId }}',
        },
      },
    ],
  },
});

describe('the deployment actions through the scaffolder', () => {
  let server: Awaited<ReturnType<typeof startMarketplace>>['server'];

  beforeAll(async () => {
    ({ server } = await startMarketplace({
      entities: [
        template('deploy-model', 'model:deploy'),
        template('undeploy-model', 'model:undeploy'),
      ],
      features: [
        actionsRegistryServiceFactory,
        scaffolderPlugin,
        standIns,
        mockServices.rootConfig.factory({
          data: {
            modelMarketplace: {
              actions: { checksTimeout: { seconds: 2 } },
            },
          },
        }),
      ],
    }));
  });

  afterAll(() => releaseWaiting());

  const invoke = (name: string, input: unknown, as = guest) =>
    request(server)
      .post(
        `/api/model-marketplace/.backstage/actions/v1/actions/model-marketplace:${name}/invoke`,
      )
      .set('Authorization', as)
      .send(input as object);

  const deployInput = (namespace: string) => ({
    model: 'model:default/mistral-7b-instruct',
    team: 'group:default/team-assistants',
    namespace,
    cluster: 'sandbox',
  });

  async function taskUntil(taskId: string, done: (output: any) => boolean) {
    const deadline = Date.now() + 60_000;
    for (;;) {
      const res = await invoke('get-deployment-task', { taskId });
      expect(res.status).toBe(200);
      if (done(res.body.output) || Date.now() > deadline) {
        return res.body.output;
      }
      await new Promise(r => setTimeout(r, 100));
    }
  }

  it('fails a refused deploy with the check as the reason, before any cluster call', async () => {
    const res = await invoke('deploy-model', deployInput('refused'));
    expect(res.status).toBe(403);
    expect(res.body.error.message).toMatch(
      /^Deploy of model:default\/mistral-7b-instruct refused before any cluster call \(scaffolder task .* failed\): user:default\/guest is not a member of group:default\/team-assistants$/,
    );
  });

  it('returns once the checks passed, and reports the deployment when completed', async () => {
    // the inventory row the real model:deploy would have recorded
    const recorded = await request(server)
      .post('/api/model-marketplace/deployments')
      .set('Authorization', service)
      .send({
        ...deployInput('team-assistants-dev'),
        version: '0.3.0',
        objects: [
          {
            apiVersion: 'apps/v1',
            kind: 'Deployment',
            namespace: 'team-assistants-dev',
            name: 'mistral-7b-instruct-0-3-0',
          },
        ],
        status: 'deployed',
        deployedBy: 'user:default/guest',
      });
    expect(recorded.status).toBe(201);

    const res = await invoke('deploy-model', {
      ...deployInput('team-assistants-dev'),
      replicas: 1,
    });
    expect(res.status).toBe(200);
    expect(res.body.output.checks).toBe('passed');
    const done = await taskUntil(
      res.body.output.taskId,
      o => o.status === 'completed',
    );
    expect(done).toMatchObject({
      checks: 'passed',
      lastMessage: expect.any(String),
      deployment: {
        id: recorded.body.id,
        namespace: 'team-assistants-dev',
        status: 'deployed',
      },
    });
    expect(done.error).toBeUndefined();
  });

  it('answers with the run still pending when the checks take longer than checksTimeout', async () => {
    const res = await invoke('deploy-model', deployInput('slow-checks'));
    expect(res.status).toBe(200);
    expect(res.body.output).toMatchObject({
      checks: 'pending',
      status: expect.stringMatching(/^(open|processing)$/),
    });
  });

  it('reports a deploy that failed after its checks with its error', async () => {
    const res = await invoke('deploy-model', deployInput('waits'));
    expect(res.status).toBe(200);
    expect(res.body.output.checks).toBe('passed');
    releaseWaiting();
    const failed = await taskUntil(
      res.body.output.taskId,
      o => o.status === 'failed',
    );
    expect(failed.error).toBe('pods never became ready');
    expect(failed.deployment).toBeUndefined();
    // later runs of the stand-ins do not wait any more
    waiting = Promise.resolve();
  });

  it('undeploys a listed deployment through the undeploy template', async () => {
    const list = await invoke('list-deployments', {
      model: 'model:default/mistral-7b-instruct',
    });
    expect(list.status).toBe(200);
    const [first] = list.body.output.items;
    expect(first).toBeDefined();
    const res = await invoke('undeploy-model', { deploymentId: first.id });
    expect(res.status).toBe(200);
    expect(res.body.output.checks).toBe('passed');
    const done = await taskUntil(
      res.body.output.taskId,
      o => o.status === 'completed',
    );
    // an undeploy task reports no deployment
    expect(done.deployment).toBeUndefined();
  });

  it('refuses to undeploy an id that is not live', async () => {
    const res = await invoke('undeploy-model', { deploymentId: 'dep-nope' });
    expect(res.status).toBe(404);
    expect(res.body.error.message).toBe(
      "No live deployment with id 'dep-nope'; list-deployments shows the current ones",
    );
  });

  it('answers 404 for a task that does not exist', async () => {
    const res = await invoke('get-deployment-task', { taskId: 'no-such-task' });
    expect(res.status).toBe(404);
    expect(res.body.error.message).toMatch(/^Cannot read task no-such-task: /);
  });
});
