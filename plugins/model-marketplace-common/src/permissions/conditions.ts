/**
 * Names of the rules the marketplace backend registers for the
 * `model-marketplace-request` resource. Permission policies build their
 * conditions with `modelRequestConditions` from
 * `@aic/plugin-model-marketplace-backend`.
 *
 * @public
 */
export const MODEL_REQUEST_PERMISSION_RULES = {
  /** Matches requests whose approvers include one of `claims`. */
  isRequestApprover: 'IS_REQUEST_APPROVER',
} as const;

/** Parameters of the `IS_REQUEST_APPROVER` rule. @public */
export type IsRequestApproverParams = {
  /** Entity refs of the user and their groups (ownership refs). */
  claims: string[];
};
