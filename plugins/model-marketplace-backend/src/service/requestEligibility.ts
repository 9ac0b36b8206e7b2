import type {
  BackstageCredentials,
  BackstageUserPrincipal,
  PermissionsService,
} from '@backstage/backend-plugin-api';
import { InputError, NotAllowedError } from '@backstage/errors';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { modelRequestCreatePermission } from '@aic/plugin-model-marketplace-common';
import type { IndexedModel } from '../index/ModelIndex';
import { toGroupRef } from '../index/modelSummary';
import type { CatalogMembership } from './CatalogMembership';
import type { ModelVisibility } from './ModelVisibility';

/**
 * Checks that the user may request `input.model` for `input.team`: the
 * model is visible to them and has the version, they are a member of the
 * team, the permission policy allows it, and a `restricted` model lists one
 * of their groups. Returns the model.
 */
export async function assertMayRequest(
  input: { model: string; version?: string; team: string },
  credentials: BackstageCredentials<BackstageUserPrincipal>,
  deps: {
    visibility: ModelVisibility;
    membership: CatalogMembership;
    permissions: PermissionsService;
  },
): Promise<IndexedModel> {
  const model = await deps.visibility.find(credentials, input.model);
  const entity = model.entity;
  const versions = entity.spec.versions.map(v => v.version);
  if (input.version && !versions.includes(input.version)) {
    throw new InputError(
      `Model ${input.model} has no version '${
        input.version
      }'; known versions: ${versions.join(', ')}`,
    );
  }
  const groups = await deps.membership.groupsOf(
    credentials.principal.userEntityRef,
  );
  if (!groups.includes(input.team)) {
    throw new NotAllowedError(`You are not a member of ${input.team}`);
  }
  const [decision] = await deps.permissions.authorize(
    [{ permission: modelRequestCreatePermission, resourceRef: input.model }],
    { credentials },
  );
  if (decision.result !== AuthorizeResult.ALLOW) {
    throw new NotAllowedError(`You may not request ${input.model}`);
  }
  if (model.summary.accessPolicy === 'restricted') {
    const allowed = (entity.spec.access?.allowedGroups ?? []).map(g =>
      toGroupRef(g, model.summary.namespace),
    );
    if (!allowed.some(g => groups.includes(g))) {
      throw new NotAllowedError(
        `${input.model} is restricted to members of ${
          allowed.join(', ') || 'no group'
        }`,
      );
    }
  }
  return model;
}
