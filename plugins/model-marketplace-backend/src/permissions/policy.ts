import {
  modelDeploymentReadPermission,
  modelRequestCreatePermission,
  modelRequestDecidePermission,
  modelRequestReadPermission,
} from '@aic/plugin-model-marketplace-common';
import {
  AuthorizeResult,
  isPermission,
  PolicyDecision,
} from '@backstage/plugin-permission-common';
import type {
  PolicyQuery,
  PolicyQueryUser,
} from '@backstage/plugin-permission-node';
import {
  createModelRequestConditionalDecision,
  modelRequestConditions,
} from './conditionExports';

/**
 * The model marketplace's part of a permission policy. Call it first in
 * your policy's `handle` and use its answer when it gives one:
 *
 * - `model-marketplace.request.decide`: only the request's approvers (the
 *   user or one of their groups), as a conditional decision the marketplace
 *   applies to each request; denied without a user.
 * - `model-marketplace.request.create`, `model-marketplace.request.read`
 *   and `model-marketplace.deployment.read`: allowed. The marketplace still
 *   enforces each model's access policy, team membership and separation of
 *   duties itself.
 * - any other permission: `undefined`, for the rest of your policy.
 *
 * @example
 * ```ts
 * async handle(request: PolicyQuery, user?: PolicyQueryUser) {
 *   return (
 *     modelMarketplacePolicyDecision(request, user) ?? {
 *       result: AuthorizeResult.ALLOW,
 *     }
 *   );
 * }
 * ```
 *
 * @public
 */
export function modelMarketplacePolicyDecision(
  request: PolicyQuery,
  user?: PolicyQueryUser,
): PolicyDecision | undefined {
  const { permission } = request;
  if (isPermission(permission, modelRequestDecidePermission)) {
    if (!user) {
      return { result: AuthorizeResult.DENY };
    }
    return createModelRequestConditionalDecision(
      permission,
      modelRequestConditions.isRequestApprover({
        claims: user.info.ownershipEntityRefs,
      }),
    );
  }
  if (
    isPermission(permission, modelRequestCreatePermission) ||
    isPermission(permission, modelRequestReadPermission) ||
    isPermission(permission, modelDeploymentReadPermission)
  ) {
    return { result: AuthorizeResult.ALLOW };
  }
  return undefined;
}
