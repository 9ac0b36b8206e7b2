import type {
  ModelAccessPolicy,
  ModelEntityV1alpha1,
} from './ModelEntityV1alpha1';

/**
 * The policy of a model that declares no `spec.access`: `approval`, the
 * safe choice. Every part of the product (index, UI, request workflow,
 * deploy check) reads a model's policy through {@link modelAccessPolicy}
 * so that a missing policy means the same everywhere.
 *
 * @public
 */
export const DEFAULT_MODEL_ACCESS_POLICY: ModelAccessPolicy = 'approval';

/**
 * The access policy of a model: `spec.access.policy`, or
 * {@link DEFAULT_MODEL_ACCESS_POLICY} when the model declares none.
 *
 * @public
 */
export function modelAccessPolicy(
  entity: Pick<ModelEntityV1alpha1, 'spec'>,
): ModelAccessPolicy {
  return entity.spec.access?.policy ?? DEFAULT_MODEL_ACCESS_POLICY;
}
