import { Config } from '@backstage/config';
import { InputError, NotFoundError } from '@backstage/errors';
import { KubeConfig } from '@kubernetes/client-node';
import { readFileSync } from 'node:fs';

/**
 * A cluster the deployer may talk to, as declared in Backstage's
 * `kubernetes.clusterLocatorMethods` config (type `config`).
 *
 * Credentials and TLS settings only ever come from configuration; nothing a
 * template user types can change them.
 *
 * @public
 */
export type ClusterDetails = {
  name: string;
  url: string;
  authProvider: string;
  /** Bearer token of the service account; never logged. */
  serviceAccountToken?: string;
  /** Base64-encoded PEM of the cluster CA. */
  caData?: string;
  /** Path to a PEM file with the cluster CA. */
  caFile?: string;
  skipTLSVerify: boolean;
};

function readAuthMetadataProvider(c: Config): string | undefined {
  const metadata = c.getOptional('authMetadata') as
    | Record<string, unknown>
    | undefined;
  const value = metadata?.['kubernetes.io/auth-provider'];
  return typeof value === 'string' ? value : undefined;
}

/**
 * Resolves clusters by name from Backstage configuration and builds a
 * `KubeConfig` for each of them.
 *
 * @public
 */
export class ClusterRegistry {
  static fromConfig(config: Config): ClusterRegistry {
    const clusters: ClusterDetails[] = [];
    const methods =
      config.getOptionalConfigArray('kubernetes.clusterLocatorMethods') ?? [];
    for (const method of methods) {
      if (method.getString('type') !== 'config') {
        continue;
      }
      for (const c of method.getOptionalConfigArray('clusters') ?? []) {
        const authProvider =
          c.getOptionalString('authProvider') ??
          readAuthMetadataProvider(c) ??
          'serviceAccount';
        clusters.push({
          name: c.getString('name'),
          url: c.getString('url'),
          authProvider,
          serviceAccountToken: c.getOptionalString('serviceAccountToken'),
          caData: c.getOptionalString('caData'),
          caFile: c.getOptionalString('caFile'),
          skipTLSVerify: c.getOptionalBoolean('skipTLSVerify') ?? false,
        });
      }
    }
    return new ClusterRegistry(clusters);
  }

  constructor(private readonly clusters: ClusterDetails[]) {}

  /** The names of all configured clusters. */
  listClusterNames(): string[] {
    return this.clusters.map(c => c.name);
  }

  /** Looks up a cluster; an unknown name is a NotFoundError. */
  getCluster(name: string): ClusterDetails {
    const cluster = this.clusters.find(c => c.name === name);
    if (!cluster) {
      const known = this.listClusterNames();
      throw new NotFoundError(
        `Unknown cluster '${name}'; configured clusters: ${
          known.length ? known.join(', ') : '(none)'
        }`,
      );
    }
    return cluster;
  }

  /**
   * Builds a `KubeConfig` with a single context for the named cluster,
   * authenticating with the cluster's service account token.
   */
  makeKubeConfig(name: string): KubeConfig {
    const cluster = this.getCluster(name);
    if (cluster.authProvider !== 'serviceAccount') {
      throw new InputError(
        `Cluster '${name}' uses authProvider '${cluster.authProvider}'; the model deployer supports only 'serviceAccount'`,
      );
    }
    if (!cluster.serviceAccountToken) {
      throw new InputError(
        `Cluster '${name}' has no serviceAccountToken configured`,
      );
    }
    let caData = cluster.caData;
    if (!caData && cluster.caFile) {
      try {
        caData = readFileSync(cluster.caFile).toString('base64');
      } catch (e) {
        throw new InputError(
          `Cannot read caFile of cluster '${name}': ${(e as Error).message}`,
        );
      }
    }
    const kc = new KubeConfig();
    kc.loadFromOptions({
      clusters: [
        {
          name: cluster.name,
          server: cluster.url,
          caData,
          skipTLSVerify: cluster.skipTLSVerify,
        },
      ],
      users: [
        { name: 'model-marketplace', token: cluster.serviceAccountToken },
      ],
      contexts: [
        {
          name: cluster.name,
          cluster: cluster.name,
          user: 'model-marketplace',
        },
      ],
      currentContext: cluster.name,
    });
    return kc;
  }
}
