import { AuthService } from '@backstage/backend-plugin-api';
import { RELATION_MEMBER_OF } from '@backstage/catalog-model';
import type { CatalogService } from '@backstage/plugin-catalog-node';

/**
 * Answers "which groups is this user a member of?" from the catalog: the
 * `memberOf` relations of the user's entity, read with the plugin's own
 * credentials.
 */
export class CatalogMembership {
  private readonly cache = new Map<
    string,
    { expires: number; groups: Promise<string[]> }
  >();

  /**
   * @param ttlMs - how long an answer is reused; membership changes show
   *   after at most this long. Default 5 seconds.
   */
  constructor(
    private readonly catalog: CatalogService,
    private readonly auth: AuthService,
    private readonly ttlMs = 5_000,
  ) {}

  groupsOf(userRef: string): Promise<string[]> {
    const now = Date.now();
    const cached = this.cache.get(userRef);
    if (cached && cached.expires > now) {
      return cached.groups;
    }
    const groups = this.load(userRef);
    groups.catch(() => this.cache.delete(userRef));
    if (this.cache.size > 10_000) {
      this.cache.clear();
    }
    this.cache.set(userRef, { expires: now + this.ttlMs, groups });
    return groups;
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
