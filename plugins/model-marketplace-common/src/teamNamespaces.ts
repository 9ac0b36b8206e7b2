/**
 * A Kubernetes namespace a team owns on one cluster.
 *
 * @public
 */
export type TeamNamespace = {
  /** The cluster's name in `kubernetes.clusterLocatorMethods`. */
  cluster: string;
  namespace: string;
};

/**
 * Parses the `aic.dev/kubernetes-namespaces` annotation of a Group:
 * comma-separated `cluster/namespace` entries, for example
 * `sandbox/team-vision, production/team-vision`.
 *
 * An entry must name its cluster. A bare `namespace` (or an entry with an
 * empty cluster or namespace) grants nothing and is left out, so that the
 * namespace picker never offers a namespace the deploy guard would refuse,
 * and a namespace name never means "on every cluster".
 *
 * @public
 */
export function parseTeamNamespaces(
  value: string | undefined,
): TeamNamespace[] {
  const owned: TeamNamespace[] = [];
  for (const raw of (value ?? '').split(',')) {
    const entry = raw.trim();
    const slash = entry.indexOf('/');
    if (slash < 0) {
      continue;
    }
    const cluster = entry.slice(0, slash).trim();
    const namespace = entry.slice(slash + 1).trim();
    if (cluster && namespace) {
      owned.push({ cluster, namespace });
    }
  }
  return owned;
}
