import {
  type ModelRequest,
  modelRequestDecidePermission,
} from '@aic/plugin-model-marketplace-common';
import type {
  BackstageCredentials,
  PermissionsRegistryService,
  PermissionsService,
} from '@backstage/backend-plugin-api';
import { NotAllowedError } from '@backstage/errors';
import { createConditionAuthorizer } from '@backstage/plugin-permission-node';
import { modelRequestPermissionResourceRef } from '../permissions/rules';
import { assertNotOwnRequest } from './separationOfDuties';

/**
 * The checks before an approver acts on a request (approve, reject,
 * revoke), the same for every action: never the requester (separation of
 * duties), only an approver of the request, and the
 * `model-marketplace.request.decide` permission must allow it for this
 * request. Throws NotAllowedError naming what failed.
 */
export function decisionGuard(deps: {
  permissions: PermissionsService;
  permissionsRegistry: PermissionsRegistryService;
  userClaims: (userRef: string) => Promise<string[]>;
}) {
  const authorizer = createConditionAuthorizer(
    deps.permissionsRegistry.getPermissionRuleset(
      modelRequestPermissionResourceRef,
    ),
  );
  return async function assertMayDecide(
    request: ModelRequest,
    credentials: BackstageCredentials<{ type: 'user'; userEntityRef: string }>,
    verb: 'decide' | 'revoke',
  ): Promise<void> {
    const userRef = credentials.principal.userEntityRef;
    assertNotOwnRequest(request, userRef);
    const claims = await deps.userClaims(userRef);
    if (!request.approvers.some(a => claims.includes(a))) {
      throw new NotAllowedError(
        `Only approvers of the request may ${verb} it (${request.approvers.join(
          ', ',
        )})`,
      );
    }
    const [decision] = await deps.permissions.authorizeConditional(
      [{ permission: modelRequestDecidePermission }],
      { credentials },
    );
    if (!authorizer(decision, request)) {
      throw new NotAllowedError(`You may not ${verb} this request`);
    }
  };
}
