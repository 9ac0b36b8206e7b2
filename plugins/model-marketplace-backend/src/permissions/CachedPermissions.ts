import type {
  AuthService,
  BackstageCredentials,
  PermissionsService,
  PermissionsServiceRequestOptions,
} from '@backstage/backend-plugin-api';
import type {
  AuthorizePermissionRequest,
  AuthorizePermissionResponse,
  QueryPermissionRequest,
  QueryPermissionResponse,
} from '@backstage/plugin-permission-common';
import { TtlCache } from '../lib/TtlCache';
import { principalKey } from '../service/refs';

/**
 * A {@link PermissionsService} that reuses each caller's answers for a few
 * seconds, so that the request workflow does not ask the permission backend
 * (an HTTP round trip with a token) on every create and decide.
 *
 * An answer is keyed by the caller (user entity ref or service subject), the
 * permissions asked and their resource refs; concurrent identical questions
 * share one call, and a failed call is never reused. Conditional answers
 * are cached as conditions and still applied to each resource by the
 * caller, so what a condition looks at (the request's approvers, for
 * instance) is always current. Callers without a user or service principal
 * are never cached.
 *
 * Staleness bound: a change of the permission policy, or of the claims in a
 * user's newer token, shows after at most `ttlMs` (default 5 s), the same
 * bound as the catalog read decisions and the group membership. Checks that
 * must never be stale (separation of duties: nobody decides their own
 * request) are not permission decisions and run on every call.
 */
export class CachedPermissions implements PermissionsService {
  private readonly basic: TtlCache<Promise<AuthorizePermissionResponse[]>>;
  private readonly conditional: TtlCache<Promise<QueryPermissionResponse[]>>;

  constructor(
    private readonly permissions: PermissionsService,
    private readonly auth: AuthService,
    /** How long an answer is reused, in milliseconds; default 5 s. */
    ttlMs = 5_000,
  ) {
    this.basic = new TtlCache({ ttlMs });
    this.conditional = new TtlCache({ ttlMs });
  }

  authorize(
    requests: AuthorizePermissionRequest[],
    options: PermissionsServiceRequestOptions,
  ): Promise<AuthorizePermissionResponse[]> {
    const key = this.keyOf(
      options.credentials,
      requests.map(r => [r.permission.name, r.resourceRef ?? '']),
    );
    if (!key) {
      return this.permissions.authorize(requests, options);
    }
    return this.basic.load(key, () =>
      this.permissions.authorize(requests, options),
    );
  }

  authorizeConditional(
    requests: QueryPermissionRequest[],
    options: PermissionsServiceRequestOptions,
  ): Promise<QueryPermissionResponse[]> {
    const key = this.keyOf(
      options.credentials,
      requests.map(r => [r.permission.name, '']),
    );
    if (!key) {
      return this.permissions.authorizeConditional(requests, options);
    }
    return this.conditional.load(key, () =>
      this.permissions.authorizeConditional(requests, options),
    );
  }

  private keyOf(
    credentials: BackstageCredentials,
    questions: string[][],
  ): string | undefined {
    const who = principalKey(this.auth, credentials);
    return who === 'none' ? undefined : JSON.stringify([who, questions]);
  }
}
