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
  /** The facet values, lower-cased, for filtering. */
  facetKeys: Record<ModelFacetField, string[]>;
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
  const lower = (values: string[]) => {
    const keys = values.map(v => v.toLocaleLowerCase('en-US'));
    // most values are lower case already: share the array
    return keys.every((k, i) => k === values[i]) ? values : keys;
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
    facetKeys: {
      type: lower(facets.type),
      task: lower(facets.task),
      license: lower(facets.license),
      owner: lower(facets.owner),
      lifecycle: lower(facets.lifecycle),
      framework: lower(facets.framework),
      tag: lower(facets.tag),
    },
  };
}
