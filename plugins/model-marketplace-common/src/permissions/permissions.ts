import { createPermission } from '@backstage/plugin-permission-common';

/**
 * The resource type of a model request, owned by the `model-marketplace`
 * plugin. Resource refs of this type are request ids.
 *
 * @public
 */
export const RESOURCE_TYPE_MODEL_REQUEST = 'model-marketplace-request';

/**
 * Requesting a model for a team. A resource permission on the model's
 * catalog entity (resource ref: the model's entity ref), so that a policy can
 * decide with the catalog's own rules (owner, labels, annotations, ...). The
 * model's access policy (`restricted`) is enforced by the plugin on top.
 *
 * @public
 */
export const modelRequestCreatePermission = createPermission({
  name: 'model-marketplace.request.create',
  attributes: { action: 'create' },
  resourceType: 'catalog-entity',
});

/**
 * Approving or rejecting a request. Policies usually answer with the
 * conditional decision of `modelMarketplacePolicyDecision` from the
 * marketplace backend: only the request's approvers. The plugin also
 * requires the user to be one of the request's approvers.
 *
 * @public
 */
export const modelRequestDecidePermission = createPermission({
  name: 'model-marketplace.request.decide',
  attributes: { action: 'update' },
  resourceType: RESOURCE_TYPE_MODEL_REQUEST,
});

/**
 * Reading requests (lists and single requests).
 *
 * @public
 */
export const modelRequestReadPermission = createPermission({
  name: 'model-marketplace.request.read',
  attributes: { action: 'read' },
});

/**
 * Reading the deployments inventory.
 *
 * @public
 */
export const modelDeploymentReadPermission = createPermission({
  name: 'model-marketplace.deployment.read',
  attributes: { action: 'read' },
});

/** Every permission of the model marketplace. @public */
export const modelMarketplacePermissions = [
  modelRequestCreatePermission,
  modelRequestDecidePermission,
  modelRequestReadPermission,
  modelDeploymentReadPermission,
];
