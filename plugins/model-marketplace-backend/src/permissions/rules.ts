import {
  MODEL_REQUEST_PERMISSION_RULES,
  ModelRequest,
  RESOURCE_TYPE_MODEL_REQUEST,
} from '@aic/plugin-model-marketplace-common';
import {
  createPermissionResourceRef,
  PermissionRule,
} from '@backstage/plugin-permission-node';
import { z } from 'zod/v3';

/** Filter form of request rules; the plugin only applies them in memory. */
export type ModelRequestQuery = { approverRefs: string[] };

/** The `model-marketplace-request` resource type, owned by this plugin. */
export const modelRequestPermissionResourceRef = createPermissionResourceRef<
  ModelRequest,
  ModelRequestQuery
>().with({
  pluginId: 'model-marketplace',
  resourceType: RESOURCE_TYPE_MODEL_REQUEST,
});

type IsRequestApproverRule = PermissionRule<
  ModelRequest,
  ModelRequestQuery,
  typeof RESOURCE_TYPE_MODEL_REQUEST,
  { claims: string[] }
>;

/**
 * Matches requests whose approvers include one of the claims.
 *
 * The parameter schema is a zod v3 schema, which the permission framework
 * converts to JSON Schema at runtime; the cast only bridges the copies of
 * zod in node_modules, whose types differ.
 */
export const isRequestApprover = {
  name: MODEL_REQUEST_PERMISSION_RULES.isRequestApprover,
  description:
    'Allow requests that one of the given entity refs (a user and their groups) may approve',
  resourceType: RESOURCE_TYPE_MODEL_REQUEST,
  paramsSchema: z.object({
    claims: z
      .array(z.string())
      .describe('Entity refs of the user and their groups'),
  }),
  apply: (request: ModelRequest, { claims }: { claims: string[] }) =>
    request.approvers.some(a => claims.includes(a)),
  toQuery: ({ claims }: { claims: string[] }): ModelRequestQuery => ({
    approverRefs: claims,
  }),
} as unknown as IsRequestApproverRule;

/** Every rule of the request resource type. */
export const modelRequestPermissionRules: IsRequestApproverRule[] = [
  isRequestApprover,
];
