import {
  createBackendPlugin,
  createServiceFactory,
} from '@backstage/backend-plugin-api';
import { mockServices, startTestBackend } from '@backstage/backend-test-utils';
import { ClusterRegistry } from './ClusterRegistry';
import { KubernetesDeploymentStatusReader } from './KubernetesDeploymentStatusReader';
import { ModelDeployer } from './ModelDeployer';
import {
  ModelDeploymentService,
  modelDeploymentServiceRef,
} from './modelDeploymentServiceRef';

/** A plugin that hands the service it was given to the test. */
function pluginSeeing(
  pluginId: string,
  seen: Map<string, ModelDeploymentService>,
) {
  return createBackendPlugin({
    pluginId,
    register(env) {
      env.registerInit({
        deps: { deployment: modelDeploymentServiceRef },
        async init({ deployment }) {
          seen.set(pluginId, deployment);
        },
      });
    },
  });
}

const config = {
  kubernetes: {
    clusterLocatorMethods: [
      { type: 'catalog' },
      {
        type: 'config',
        clusters: [
          {
            name: 'sandbox',
            url: 'https://127.0.0.1:1',
            serviceAccountToken: 'token',
          },
          { name: 'production', url: 'https://127.0.0.1:2' },
        ],
      },
    ],
  },
};

describe('modelDeploymentServiceRef', () => {
  it('reads the clusters once and gives every plugin the same instance', async () => {
    const seen = new Map<string, ModelDeploymentService>();
    const fromConfig = jest.spyOn(ClusterRegistry, 'fromConfig');
    const backend = await startTestBackend({
      features: [
        mockServices.rootConfig.factory({ data: config }),
        pluginSeeing('first', seen),
        pluginSeeing('second', seen),
      ],
    });
    try {
      expect(fromConfig).toHaveBeenCalledTimes(1);
      const first = seen.get('first')!;
      expect(seen.get('second')).toBe(first);
      expect(first.clusters.listClusterNames()).toEqual([
        'sandbox',
        'production',
      ]);
      // a status read never throws, even for a cluster that is not there
      await expect(
        first.statusReader.read({
          cluster: 'elsewhere',
          namespace: 'ns',
          objects: [],
        }),
      ).resolves.toMatchObject({ state: 'unknown' });
    } finally {
      fromConfig.mockRestore();
      await backend.stop();
    }
  });

  it('can be replaced by an adopter', async () => {
    const seen = new Map<string, ModelDeploymentService>();
    const clusters = new ClusterRegistry([]);
    const logger = mockServices.logger.mock();
    const replacement: ModelDeploymentService = {
      clusters,
      deployer: new ModelDeployer({ clusters, logger }),
      statusReader: new KubernetesDeploymentStatusReader(clusters, logger),
    };
    const backend = await startTestBackend({
      features: [
        createServiceFactory({
          service: modelDeploymentServiceRef,
          deps: {},
          factory: () => replacement,
        }),
        pluginSeeing('first', seen),
      ],
    });
    try {
      expect(seen.get('first')).toBe(replacement);
    } finally {
      await backend.stop();
    }
  });

  it('refuses a cluster without a url, naming the key', async () => {
    await expect(
      startTestBackend({
        features: [
          mockServices.rootConfig.factory({
            data: {
              kubernetes: {
                clusterLocatorMethods: [
                  { type: 'config', clusters: [{ name: 'broken' }] },
                ],
              },
            },
          }),
          pluginSeeing('first', new Map()),
        ],
      }),
    ).rejects.toThrow(/url/);
  });
});
