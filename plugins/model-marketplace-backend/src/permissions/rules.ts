import {
  MODEL_REQUEST_PERMISSION_RULES,
  ModelRequest,
  RESOURCE_TYPE_MODEL_REQUEST,
} from '@aic/plugin-model-marketplace-common';
import {
  createPermissionResourceRef,
  createPermissionRule,
} from '@backstage/plugin-permission-node';
import { z } from 'zod';

/** Filter form of request rules; the plugin only applies them in memory. @public */
export type ModelRequestQuery = { approverRefs: string[] };

/**
 * The `model-marketplace-request` resource type, owned by this plugin.
 *
 * @public
 */
export const modelRequestPermissionResourceRef = createPermissionResourceRef<
  ModelRequest,
  ModelRequestQuery
>().with({
  pluginId: 'model-marketplace',
  resourceType: RESOURCE_TYPE_MODEL_REQUEST,
});

/**
 * Matches requests whose approvers include one of the claims (a user and
 * their groups).
 *
 * @public
 */
export const isRequestApprover = createPermissionRule({
  name: MODEL_REQUEST_PERMISSION_RULES.isRequestApprover,
  description:
    'Allow requests that one of the given entity refs (a user and their groups) may approve',
  resourceRef: modelRequestPermissionResourceRef,
  paramsSchema: z.object({
    claims: z
      .array(z.string())
      .describe('Entity refs of the user and their groups'),
  }),
  apply: (request, { claims }) =>
    request.approvers.some(a => claims.includes(a)),
  toQuery: ({ claims }) => ({ approverRefs: claims }),
});

/**
 * Every rule of the request resource type.
 *
 * @public
 */
export const modelRequestPermissionRules = { isRequestApprover };
