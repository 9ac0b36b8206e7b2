import { ConfigReader } from '@backstage/config';
import { NotFoundError } from '@backstage/errors';
import { ClusterRegistry } from './ClusterRegistry';

const config = new ConfigReader({
  kubernetes: {
    clusterLocatorMethods: [
      { type: 'catalog' },
      {
        type: 'config',
        clusters: [
          {
            name: 'sandbox',
            url: 'https://127.0.0.1:6443',
            authProvider: 'serviceAccount',
            serviceAccountToken: 'tok-123456',
            caData: Buffer.from('pem').toString('base64'),
          },
          {
            name: 'other',
            url: 'https://k8s.example.com',
            authProvider: 'google',
          },
        ],
      },
    ],
  },
});

describe('ClusterRegistry', () => {
  it('reads config clusters', () => {
    const registry = ClusterRegistry.fromConfig(config);
    expect(registry.listClusterNames()).toEqual(['sandbox', 'other']);
    const kc = registry.makeKubeConfig('sandbox');
    expect(kc.getCurrentCluster()?.server).toBe('https://127.0.0.1:6443');
    expect(kc.getCurrentUser()?.token).toBe('tok-123456');
  });

  it('names known clusters, without secrets, for an unknown one', () => {
    const registry = ClusterRegistry.fromConfig(config);
    expect(() => registry.getCluster('prod')).toThrow(NotFoundError);
    expect(() => registry.getCluster('prod')).toThrow(
      "Unknown cluster 'prod'; configured clusters: sandbox, other",
    );
  });

  it('refuses unsupported auth providers', () => {
    const registry = ClusterRegistry.fromConfig(config);
    expect(() => registry.makeKubeConfig('other')).toThrow(/serviceAccount/);
  });
});
