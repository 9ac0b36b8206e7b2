/**
 * The model marketplace backend plugin: browse index, request workflow,
 * deployments inventory and REST API.
 *
 * @packageDocumentation
 */

export { modelMarketplacePlugin as default } from './plugin';
export {
  createModelRequestConditionalDecision,
  modelRequestConditions,
} from './permissions/conditionExports';
export { modelMarketplacePolicyDecision } from './permissions/policy';
export {
  isRequestApprover,
  modelRequestPermissionResourceRef,
  modelRequestPermissionRules,
} from './permissions/rules';
export type { ModelRequestQuery } from './permissions/rules';
