import { createConditionExports } from '@backstage/plugin-permission-node';
import {
  modelRequestPermissionResourceRef,
  modelRequestPermissionRules,
} from './rules';

const { conditions, createConditionalDecision } = createConditionExports({
  resourceRef: modelRequestPermissionResourceRef,
  rules: modelRequestPermissionRules,
});

/**
 * Condition factories for the `model-marketplace-request` resource, for
 * permission policies: `modelRequestConditions.isRequestApprover({ claims })`.
 *
 * @public
 */
export const modelRequestConditions = conditions;

/**
 * Wraps request conditions in a conditional decision of the marketplace
 * plugin, for permission policies.
 *
 * @public
 */
export const createModelRequestConditionalDecision = createConditionalDecision;
