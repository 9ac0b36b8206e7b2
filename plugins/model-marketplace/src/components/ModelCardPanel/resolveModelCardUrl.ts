import type { Entity } from '@backstage/catalog-model';
import { ANNOTATION_MODEL_CARD } from '@aic/plugin-model-marketplace-common';

const LOCATION_ANNOTATIONS = [
  'backstage.io/source-location',
  'backstage.io/managed-by-location',
];

/**
 * Where the model card of an entity lives: the `aic.dev/model-card`
 * annotation, resolved against the entity's source location when it is
 * relative. `location` is the bare location (without `url:` or `file:`);
 * `type` says whether a browser can fetch it.
 */
export function resolveModelCardUrl(
  entity: Entity,
): { location: string; type: 'url' | 'file' } | undefined {
  const card = entity.metadata.annotations?.[ANNOTATION_MODEL_CARD];
  if (!card) {
    return undefined;
  }
  if (/^https?:\/\//i.test(card)) {
    return { location: card, type: 'url' };
  }
  for (const key of LOCATION_ANNOTATIONS) {
    const value = entity.metadata.annotations?.[key];
    const match = value?.match(/^(url|file):(.*)$/);
    if (!match) {
      continue;
    }
    const [, type, target] = match;
    if (type === 'url') {
      try {
        return { location: new URL(card, target).toString(), type: 'url' };
      } catch {
        continue;
      }
    }
    const dir = target.replace(/[^/]*$/, '');
    const joined = `${dir}${card.replace(/^\.\//, '')}`;
    return { location: joined, type: 'file' };
  }
  return { location: card, type: 'file' };
}
