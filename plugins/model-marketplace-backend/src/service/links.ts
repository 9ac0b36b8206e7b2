import { DEFAULT_NAMESPACE, parseEntityRef } from '@backstage/catalog-model';

/**
 * Every link the marketplace backend hands out (in notifications) is built
 * here, so that all of them keep the model's namespace and open the page
 * the app serves.
 */

/** `/catalog/<namespace>/model/<name>`: the model's page in the catalog. */
export function modelPageLink(modelRef: string): string {
  const { namespace, name } = parseEntityRef(modelRef, {
    defaultKind: 'model',
    defaultNamespace: DEFAULT_NAMESPACE,
  });
  return `/catalog/${encodeURIComponent(namespace)}/model/${encodeURIComponent(
    name,
  )}`;
}

/** The request opened in My requests (requester) or Approvals (approver). */
export function requestLink(
  id: string,
  view: 'requests' | 'approvals',
): string {
  return `/models/${view}?request=${encodeURIComponent(id)}`;
}
