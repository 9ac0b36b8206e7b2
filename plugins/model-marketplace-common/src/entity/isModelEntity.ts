import type { Entity } from '@backstage/catalog-model';
import {
  MODEL_API_VERSION,
  MODEL_KIND,
  ModelEntityV1alpha1,
} from './ModelEntityV1alpha1';

/**
 * Tells whether an entity is a Model. The kind is compared case-insensitively,
 * as the catalog does.
 *
 * @public
 */
export function isModelEntity(
  entity: Entity | undefined,
): entity is ModelEntityV1alpha1 {
  return (
    !!entity &&
    entity.apiVersion === MODEL_API_VERSION &&
    entity.kind.toLocaleLowerCase('en-US') ===
      MODEL_KIND.toLocaleLowerCase('en-US')
  );
}
