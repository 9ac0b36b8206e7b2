import {
  AuthorizeResult,
  isPermission,
  PolicyDecision,
} from '@backstage/plugin-permission-common';
import {
  PermissionPolicy,
  PolicyQuery,
  PolicyQueryUser,
} from '@backstage/plugin-permission-node';
import {
  catalogConditions,
  createCatalogConditionalDecision,
} from '@backstage/plugin-catalog-backend/alpha';
import { catalogEntityDeletePermission } from '@backstage/plugin-catalog-common/alpha';
import { modelMarketplacePolicyDecision } from '@aic/plugin-model-marketplace-backend';

/**
 * The portal's permission policy.
 *
 * - Deleting a catalog entity is allowed only to the entity's owners.
 * - The model marketplace's permissions follow
 *   `modelMarketplacePolicyDecision`: deciding a model request is allowed
 *   only to its approvers; requesting and reading are allowed (the plugin
 *   enforces each model's access policy itself).
 * - Everything else is allowed.
 */
export class MarketplacePermissionPolicy implements PermissionPolicy {
  async handle(
    request: PolicyQuery,
    user?: PolicyQueryUser,
  ): Promise<PolicyDecision> {
    const marketplace = modelMarketplacePolicyDecision(request, user);
    if (marketplace) {
      return marketplace;
    }
    if (isPermission(request.permission, catalogEntityDeletePermission)) {
      if (!user) {
        return { result: AuthorizeResult.DENY };
      }
      return createCatalogConditionalDecision(
        request.permission,
        catalogConditions.isEntityOwner({
          claims: user.info.ownershipEntityRefs,
        }),
      );
    }
    return { result: AuthorizeResult.ALLOW };
  }
}
