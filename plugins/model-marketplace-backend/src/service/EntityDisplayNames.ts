import type { AuthService, LoggerService } from '@backstage/backend-plugin-api';
import type { Entity } from '@backstage/catalog-model';
import type { CatalogService } from '@backstage/plugin-catalog-node';
import { TtlCache } from '../lib/TtlCache';
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
  private readonly cache: TtlCache<string>;

  constructor(
    private readonly catalog: CatalogService,
    private readonly auth: AuthService,
    private readonly logger?: LoggerService,
    ttlMs = 60_000,
  ) {
    this.cache = new TtlCache({ ttlMs });
  }

  /** Resolves `refs` at once and returns a synchronous `NameOf` for them. */
  async resolve(refs: Array<string | undefined>): Promise<NameOf> {
    const wanted = [
      ...new Set(
        refs.filter((r): r is string => !!r).map(r => r.toLocaleLowerCase()),
      ),
    ].filter(ref => this.cache.get(ref) === undefined);
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
        wanted.forEach((ref, i) => {
          const entity = items[i];
          const name =
            (entity && displayNameOf(entity)) ??
            (entity ? entity.metadata.name : shortNameOf(ref));
          this.cache.set(ref, name);
        });
      } catch (error) {
        this.logger?.warn(
          `Could not look up display names for a notification: ${error}`,
        );
      }
    }
    return ref => this.cache.get(ref.toLocaleLowerCase()) ?? shortNameOf(ref);
  }
}
