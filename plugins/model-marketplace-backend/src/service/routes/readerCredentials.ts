import type {
  BackstageCredentials,
  HttpAuthService,
  PermissionsService,
} from '@backstage/backend-plugin-api';
import type { BasicPermission } from '@backstage/plugin-permission-common';
import { assertAllowed } from '../../permissions/assertAllowed';

/**
 * The credentials of a user or service that `permission` allows, for read
 * routes: 401 without credentials, 403 when the policy denies it.
 */
export function readerCredentials(
  httpAuth: HttpAuthService,
  permissions: PermissionsService,
  permission?: BasicPermission,
): (
  req: Parameters<HttpAuthService['credentials']>[0],
) => Promise<BackstageCredentials> {
  return async req => {
    const credentials = await httpAuth.credentials(req, {
      allow: ['user', 'service'],
    });
    if (permission) {
      await assertAllowed(permissions, credentials, permission);
    }
    return credentials;
  };
}
