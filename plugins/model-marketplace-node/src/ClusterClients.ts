import { ClusterRegistry } from './ClusterRegistry';
import { KubernetesApiClient } from './KubernetesApiClient';
import { RetryOptions } from './retryPolicy';

/**
 * One {@link KubernetesApiClient} per configured cluster, created on first
 * use, for the readers that only read (status, discovery).
 */
export class ClusterClients {
  private readonly clients = new Map<string, KubernetesApiClient>();

  constructor(
    readonly clusters: ClusterRegistry,
    private readonly retry?: RetryOptions,
  ) {}

  get(cluster: string): KubernetesApiClient {
    let client = this.clients.get(cluster);
    if (!client) {
      client = new KubernetesApiClient(this.clusters.makeKubeConfig(cluster), {
        retry: this.retry,
      });
      this.clients.set(cluster, client);
    }
    return client;
  }

  /** HTTP requests sent to a cluster so far. */
  requestCount(cluster: string): number {
    return this.clients.get(cluster)?.requestCount ?? 0;
  }
}
