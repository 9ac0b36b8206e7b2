import { startTestBackend, mockServices } from '@backstage/backend-test-utils';
import { createBackendPlugin } from '@backstage/backend-plugin-api';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import {
  TemplateAction,
  scaffolderActionsExtensionPoint,
} from '@backstage/plugin-scaffolder-node';
import { scaffolderModuleModel } from './module';

describe('scaffolderModuleModel', () => {
  it('registers model:deploy and model:undeploy', async () => {
    const actions: TemplateAction<any, any, any>[] = [];
    await startTestBackend({
      extensionPoints: [
        [
          scaffolderActionsExtensionPoint,
          { addActions: (...a: any[]) => actions.push(...a) },
        ],
      ],
      features: [
        scaffolderModuleModel,
        catalogServiceMock.factory(),
        mockServices.rootConfig.factory({
          data: {
            kubernetes: {
              clusterLocatorMethods: [
                {
                  type: 'config',
                  clusters: [
                    {
                      name: 'sandbox',
                      url: 'https://127.0.0.1:6443',
                      authProvider: 'serviceAccount',
                      serviceAccountToken: 'x',
                    },
                  ],
                },
              ],
            },
          },
        }),
        createBackendPlugin({
          pluginId: 'scaffolder',
          register(reg) {
            reg.registerInit({ deps: {}, async init() {} });
          },
        }),
      ],
    });
    expect(actions.map(a => a.id).sort()).toEqual([
      'model:deploy',
      'model:undeploy',
    ]);
    const deploy = actions.find(a => a.id === 'model:deploy')!;
    expect(deploy.supportsDryRun).toBe(true);
  });
});
