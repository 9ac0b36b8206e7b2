import { ConfigReader } from '@backstage/config';
import { InputError, NotFoundError } from '@backstage/errors';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
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

  it('takes the auth provider from authMetadata, defaulting to serviceAccount, and skips other locators', () => {
    const registry = ClusterRegistry.fromConfig(
      new ConfigReader({
        kubernetes: {
          clusterLocatorMethods: [
            { type: 'gke', clusters: [{ name: 'ignored', url: 'x' }] },
            {
              type: 'config',
              clusters: [
                {
                  name: 'meta',
                  url: 'https://a',
                  authMetadata: { 'kubernetes.io/auth-provider': 'oidc' },
                },
                {
                  name: 'plain',
                  url: 'https://b',
                  authMetadata: { 'kubernetes.io/auth-provider': 7 },
                  skipTLSVerify: true,
                },
              ],
            },
            { type: 'config' },
          ],
        },
      }),
    );
    expect(registry.listClusterNames()).toEqual(['meta', 'plain']);
    expect(registry.getCluster('meta').authProvider).toBe('oidc');
    expect(registry.getCluster('plain')).toMatchObject({
      authProvider: 'serviceAccount',
      skipTLSVerify: true,
    });
    expect(
      ClusterRegistry.fromConfig(new ConfigReader({})).listClusterNames(),
    ).toEqual([]);
  });

  it('refuses a service account cluster without a token', () => {
    const registry = new ClusterRegistry([
      {
        name: 'no-token',
        url: 'https://a',
        authProvider: 'serviceAccount',
        skipTLSVerify: false,
      },
    ]);
    expect(() => registry.makeKubeConfig('no-token')).toThrow(InputError);
    expect(() => registry.makeKubeConfig('no-token')).toThrow(
      "Cluster 'no-token' has no serviceAccountToken configured",
    );
  });

  it('reads the CA from caFile, and names the file it cannot read', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cluster-registry-'));
    try {
      const caFile = path.join(dir, 'ca.pem');
      fs.writeFileSync(caFile, 'PEM TEXT');
      const missing = path.join(dir, 'missing.pem');
      const registry = new ClusterRegistry([
        {
          name: 'file',
          url: 'https://a',
          authProvider: 'serviceAccount',
          serviceAccountToken: 'tok-1234',
          caFile,
          skipTLSVerify: false,
        },
        {
          name: 'gone',
          url: 'https://b',
          authProvider: 'serviceAccount',
          serviceAccountToken: 'tok-1234',
          caFile: missing,
          skipTLSVerify: false,
        },
      ]);
      expect(registry.makeKubeConfig('file').getCurrentCluster()?.caData).toBe(
        Buffer.from('PEM TEXT').toString('base64'),
      );
      expect(() => registry.makeKubeConfig('gone')).toThrow(InputError);
      expect(() => registry.makeKubeConfig('gone')).toThrow(
        new RegExp(
          `^Cannot read caFile of cluster 'gone': ENOENT.*missing\\.pem`,
        ),
      );
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
