import type { AuthService, LoggerService } from '@backstage/backend-plugin-api';
import type { Entity } from '@backstage/catalog-model';
import type { CatalogService } from '@backstage/plugin-catalog-node';
import { type NameOf, shortNameOf } from './notificationMessages';

function displayNameOf(entity: Entity): string | undefined {
  const profile = (entity.spec as { profile?: { displayName?: unknown } })
    ?.profile;
  const displayName =
    typeof profile?.displayName === 'string'
      ? profile.displayName.trim()
      : undefined;
  return displayName || entity.metadata.title?.trim() || undefined;
}

/**
 * Looks up the names people know entities by, for notifications: a user's
 * or group's `spec.profile.displayName`, else the entity's `metadata.title`,
 * else its name. Answers are reused for `ttlMs`. A failed look-up falls back
 * to the short name, so a notification is never held back by the catalog.
 */
export class EntityDisplayNames {
  private readonly cache = new Map<string, { expires: number; name: string }>();

  constructor(
    private readonly catalog: CatalogService,
    private readonly auth: AuthService,
    private readonly logger?: LoggerService,
    private readonly ttlMs = 60_000,
  ) {}

  /** Resolves `refs` at once and returns a synchronous `NameOf` for them. */
  async resolve(refs: Array<string | undefined>): Promise<NameOf> {
    const now = Date.now();
    const wanted = [
      ...new Set(
        refs.filter((r): r is string => !!r).map(r => r.toLocaleLowerCase()),
      ),
    ].filter(ref => (this.cache.get(ref)?.expires ?? 0) <= now);
    if (wanted.length) {
      try {
        const { items } = await this.catalog.getEntitiesByRefs(
          {
            entityRefs: wanted,
            fields: [
              'kind',
              'metadata.namespace',
              'metadata.name',
              'metadata.title',
              'spec.profile.displayName',
            ],
          },
          { credentials: await this.auth.getOwnServiceCredentials() },
        );
        if (this.cache.size > 10_000) {
          this.cache.clear();
        }
        wanted.forEach((ref, i) => {
          const entity = items[i];
          const name =
            (entity && displayNameOf(entity)) ??
            (entity ? entity.metadata.name : shortNameOf(ref));
          this.cache.set(ref, { expires: now + this.ttlMs, name });
        });
      } catch (error) {
        this.logger?.warn(
          `Could not look up display names for a notification: ${error}`,
        );
      }
    }
    return ref =>
      this.cache.get(ref.toLocaleLowerCase())?.name ?? shortNameOf(ref);
  }
}
