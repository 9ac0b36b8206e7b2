import {
  ModelEntity,
  modelFingerprint,
  ModelFacetField,
  ModelSummary,
} from '@aic/plugin-model-marketplace-common';
import { toModelSummary } from './modelSummary';

/** One model held by the index. */
export type IndexedModel = {
  ref: string;
  /** The ref, lower-cased, for look-ups. */
  refKey: string;
  uid: string;
  etag?: string;
  entity: ModelEntity;
  /** Computed from the entity on each read: the index does not keep it. */
  readonly summary: ModelSummary;
  /** {@link @aic/plugin-model-marketplace-common#modelFingerprint} of the entity. */
  fingerprint: string;
  /** When the index first saw this etag of the entity (ms since epoch). */
  updatedAt: number;
  facets: Record<ModelFacetField, string[]>;
  /** Lower-cased title or name, for sorting. */
  sortName: string;
};

/** Prepares an entity for the index. */
export function toIndexed(
  uid: string,
  entity: ModelEntity,
  now: number,
): IndexedModel {
  const summary = toModelSummary(entity);
  const one = (v?: string) => (v ? [v] : []);
  const facets: Record<ModelFacetField, string[]> = {
    type: one(summary.type),
    task: one(summary.task),
    license: one(summary.license),
    owner: one(summary.owner),
    lifecycle: one(summary.lifecycle),
    framework: one(summary.framework),
    tag: [...new Set(summary.tags)],
  };
  return {
    ref: summary.ref,
    refKey: summary.ref.toLocaleLowerCase('en-US'),
    uid,
    etag: entity.metadata.etag,
    fingerprint: modelFingerprint(entity),
    entity,
    get summary() {
      return toModelSummary(entity);
    },
    updatedAt: now,
    sortName: (summary.title ?? summary.name).toLocaleLowerCase('en-US'),
    facets,
  };
}
