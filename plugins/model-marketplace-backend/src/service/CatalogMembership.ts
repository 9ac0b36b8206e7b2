import { AuthService } from '@backstage/backend-plugin-api';
import { RELATION_MEMBER_OF } from '@backstage/catalog-model';
import type { CatalogService } from '@backstage/plugin-catalog-node';
import { TtlCache } from '../lib/TtlCache';

/**
 * Answers "which groups is this user a member of?" from the catalog: the
 * `memberOf` relations of the user's entity, read with the plugin's own
 * credentials.
 */
export class CatalogMembership {
  private readonly cache: TtlCache<Promise<string[]>>;

  /**
   * @param ttlMs - how long an answer is reused; membership changes show
   *   after at most this long. Default 5 seconds.
   */
  constructor(
    private readonly catalog: CatalogService,
    private readonly auth: AuthService,
    ttlMs = 5_000,
  ) {
    this.cache = new TtlCache({ ttlMs });
  }

  groupsOf(userRef: string): Promise<string[]> {
    return this.cache.load(userRef, () => this.load(userRef));
  }

  /**
   * The refs a user acts as: the user's own entity ref followed by the
   * groups it is a member of.
   */
  async claimsOf(userRef: string): Promise<string[]> {
    return [userRef, ...(await this.groupsOf(userRef))];
  }

  private async load(userRef: string): Promise<string[]> {
    const user = await this.catalog.getEntityByRef(userRef, {
      credentials: await this.auth.getOwnServiceCredentials(),
    });
    return (user?.relations ?? [])
      .filter(r => r.type === RELATION_MEMBER_OF)
      .map(r => r.targetRef);
  }
}
