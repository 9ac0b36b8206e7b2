import type {
  AuthService,
  BackstageCredentials,
  PermissionsService,
} from '@backstage/backend-plugin-api';
import { catalogEntityReadPermission } from '@backstage/plugin-catalog-common/alpha';
import type { PolicyDecision } from '@backstage/plugin-permission-common';
import { TtlCache } from '../lib/TtlCache';
import { principalKey } from '../service/refs';

/**
 * The `catalog.entity.read` decision of each caller, reused for a few
 * seconds so that browsing does not ask the permission backend on every
 * keystroke. Concurrent requests of one caller share one question.
 */
export class CatalogReadDecisions {
  private readonly cache: TtlCache<Promise<PolicyDecision>>;

  constructor(
    private readonly permissions: PermissionsService,
    private readonly auth: AuthService,
    /** How long a decision is reused; default 5 s. */
    ttlMs = 5_000,
  ) {
    this.cache = new TtlCache({ ttlMs });
  }

  /** The caller's (possibly conditional) catalog read decision. */
  decisionFor(credentials: BackstageCredentials): Promise<PolicyDecision> {
    return this.cache.load(principalKey(this.auth, credentials), () =>
      this.permissions
        .authorizeConditional([{ permission: catalogEntityReadPermission }], {
          credentials,
        })
        .then(([decision]) => decision),
    );
  }
}
