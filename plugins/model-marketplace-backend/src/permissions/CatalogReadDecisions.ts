import type {
  BackstageCredentials,
  PermissionsService,
} from '@backstage/backend-plugin-api';
import { catalogEntityReadPermission } from '@backstage/plugin-catalog-common/alpha';
import type { PolicyDecision } from '@backstage/plugin-permission-common';

/**
 * The `catalog.entity.read` decision of each caller. Given the router's
 * {@link CachedPermissions}, a caller's decision is reused for a few seconds,
 * so that browsing does not ask the permission backend on every keystroke,
 * and concurrent requests of one caller share one question.
 */
export class CatalogReadDecisions {
  constructor(private readonly permissions: PermissionsService) {}

  /** The caller's (possibly conditional) catalog read decision. */
  async decisionFor(
    credentials: BackstageCredentials,
  ): Promise<PolicyDecision> {
    const [decision] = await this.permissions.authorizeConditional(
      [{ permission: catalogEntityReadPermission }],
      { credentials },
    );
    return decision;
  }
}
