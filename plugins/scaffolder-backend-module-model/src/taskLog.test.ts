import {
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import scaffolderPlugin from '@backstage/plugin-scaffolder-backend';
import request from 'supertest';
import { scaffolderModuleModel } from './module';
import { exampleEntities } from './__testUtils__/fixtures';

/*
 * What a person sees in the task log of a refused deploy, through the real
 * scaffolder backend: the scaffolder writes `String(error.stack)` of a failed
 * step into the log in every environment, so the refusal must carry its
 * class and message and no stack frames or server paths.
 */

jest.setTimeout(120_000);

const guest = mockCredentials.user.header('user:default/guest'); // team-assistants

const template = {
  apiVersion: 'scaffolder.backstage.io/v1beta3',
  kind: 'Template',
  metadata: { name: 'deploy-model', namespace: 'default' },
  spec: {
    type: 'service',
    parameters: [],
    steps: [
      {
        id: 'deploy',
        name: 'Deploy the model',
        action: 'model:deploy',
        input: {
          model: '${{ parameters.model }}',
          team: '${{ parameters.team }}',
          namespace: '${{ parameters.namespace }}',
        },
      },
    ],
  },
};

describe('the task log of a refused deploy', () => {
  it('shows the refusal without stack trace or server path', async () => {
    const { server } = await startTestBackend({
      features: [
        scaffolderPlugin,
        scaffolderModuleModel,
        catalogServiceMock.factory({
          entities: [...exampleEntities(), template],
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
                      // never called: the deploy is refused before
                      url: 'https://127.0.0.1:1',
                      authProvider: 'serviceAccount',
                      serviceAccountToken: 'unused',
                    },
                  ],
                },
              ],
            },
          },
        }),
      ],
    });

    // guest is not a member of team-search
    const created = await request(server)
      .post('/api/scaffolder/v2/tasks')
      .set('Authorization', guest)
      .send({
        templateRef: 'template:default/deploy-model',
        values: {
          model: 'llama-3-1-8b-instruct',
          team: 'team-search',
          namespace: 'team-search',
        },
      });
    expect(created.status).toBe(201);
    const taskId = created.body.id;

    let task: any;
    for (;;) {
      task = (
        await request(server)
          .get(`/api/scaffolder/v2/tasks/${taskId}`)
          .set('Authorization', guest)
      ).body;
      if (['failed', 'completed', 'cancelled'].includes(task.status)) break;
      await new Promise(r => setTimeout(r, 100));
    }
    expect(task.status).toBe('failed');

    const events = (
      await request(server)
        .get(`/api/scaffolder/v2/tasks/${taskId}/events`)
        .set('Authorization', guest)
    ).body as Array<{ type: string; body: { message?: string } }>;
    const log = events.map(e => e.body.message ?? '').join('\n');
    expect(log).toContain(
      'NotAllowedError: user:default/guest is not a member of group:default/team-search',
    );
    expect(log).not.toMatch(/^\s+at /m);
    expect(log).not.toMatch(/\.(ts|js):\d+/);
    expect(log).not.toContain(__dirname);
    expect(log).not.toContain('node_modules');
  });
});
