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
import {
  createModelRequestApproverDecision,
  modelRequestDecidePermission,
} from '@aic/plugin-model-marketplace-common';

/**
 * The portal's permission policy.
 *
 * - Deleting a catalog entity is allowed only to the entity's owners.
 * - Deciding a model request is allowed only to its approvers (the user or
 *   one of their groups is among the request's approvers).
 * - Everything else is allowed, including requesting a model: the model's
 *   own access policy (`restricted`) is enforced by the marketplace plugin.
 */
export class MarketplacePermissionPolicy implements PermissionPolicy {
  async handle(
    request: PolicyQuery,
    user?: PolicyQueryUser,
  ): Promise<PolicyDecision> {
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
    if (isPermission(request.permission, modelRequestDecidePermission)) {
      if (!user) {
        return { result: AuthorizeResult.DENY };
      }
      return createModelRequestApproverDecision(
        request.permission,
        user.info.ownershipEntityRefs,
      );
    }
    return { result: AuthorizeResult.ALLOW };
  }
}
