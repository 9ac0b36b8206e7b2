/** One namespace a team owns. */
export type TeamNamespace = { cluster?: string; namespace: string };

/**
 * Parses the `aic.dev/kubernetes-namespaces` annotation of a Group:
 * comma-separated `cluster/namespace` entries (a bare `namespace` has no
 * cluster). Blank entries are ignored.
 */
export function parseTeamNamespaces(
  value: string | undefined,
): TeamNamespace[] {
  if (!value) {
    return [];
  }
  return value
    .split(',')
    .map(entry => entry.trim())
    .filter(Boolean)
    .map(entry => {
      const slash = entry.indexOf('/');
      return slash < 0
        ? { namespace: entry }
        : {
            cluster: entry.slice(0, slash).trim(),
            namespace: entry.slice(slash + 1).trim(),
          };
    })
    .filter(entry => entry.namespace);
}
