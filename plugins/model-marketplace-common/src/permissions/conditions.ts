import {
  AuthorizeResult,
  ConditionalPolicyDecision,
  PermissionCondition,
  PermissionCriteria,
  ResourcePermission,
} from '@backstage/plugin-permission-common';
import { RESOURCE_TYPE_MODEL_REQUEST } from './permissions';

/** Names and parameters of the rules the plugin registers. @public */
export const MODEL_REQUEST_PERMISSION_RULES = {
  /** Matches requests whose approvers include one of `claims`. */
  isRequestApprover: 'IS_REQUEST_APPROVER',
} as const;

/** Parameters of the `IS_REQUEST_APPROVER` rule. @public */
export type IsRequestApproverParams = {
  /** Entity refs of the user and their groups (ownership refs). */
  claims: string[];
};

/**
 * Conditions on model requests, for permission policies.
 *
 * @public
 */
export const modelRequestConditions = {
  isRequestApprover(
    params: IsRequestApproverParams,
  ): PermissionCondition<typeof RESOURCE_TYPE_MODEL_REQUEST> {
    return {
      rule: MODEL_REQUEST_PERMISSION_RULES.isRequestApprover,
      resourceType: RESOURCE_TYPE_MODEL_REQUEST,
      params,
    };
  },
};

/**
 * A conditional decision on a model request permission.
 *
 * @public
 */
export function createModelRequestConditionalDecision(
  _permission: ResourcePermission<typeof RESOURCE_TYPE_MODEL_REQUEST>,
  conditions: PermissionCriteria<
    PermissionCondition<typeof RESOURCE_TYPE_MODEL_REQUEST>
  >,
): ConditionalPolicyDecision {
  return {
    result: AuthorizeResult.CONDITIONAL,
    pluginId: 'model-marketplace',
    resourceType: RESOURCE_TYPE_MODEL_REQUEST,
    conditions,
  };
}

/**
 * The usual decision for deciding requests: allowed when the user, or one of
 * their groups, is an approver of the request.
 *
 * @public
 */
export function createModelRequestApproverDecision(
  permission: ResourcePermission<typeof RESOURCE_TYPE_MODEL_REQUEST>,
  claims: string[],
): ConditionalPolicyDecision {
  return createModelRequestConditionalDecision(
    permission,
    modelRequestConditions.isRequestApprover({ claims }),
  );
}
