import { Entity, stringifyEntityRef } from '@backstage/catalog-model';

/**
 * The events topic on which the catalog module announces that a Model entity
 * was processed with content the publisher had not seen before. The payload
 * is a {@link ModelChangedEvent}.
 *
 * @public
 */
export const MODEL_CHANGED_TOPIC = 'aic.model-marketplace.model-changed';

/**
 * Payload of {@link MODEL_CHANGED_TOPIC}.
 *
 * @public
 */
export type ModelChangedEvent = {
  /** The entity ref, `model:<namespace>/<name>`. */
  entityRef: string;
  /** {@link modelFingerprint} of the processed entity. */
  fingerprint: string;
};

/** Metadata the catalog sets itself; it does not describe the model. */
const CATALOG_OWNED_METADATA = new Set(['uid', 'etag', 'generation']);

function canonical(value: unknown): string {
  if (Array.isArray(value)) {
    return `[${value.map(canonical).join(',')}]`;
  }
  if (value && typeof value === 'object') {
    return `{${Object.keys(value)
      .sort()
      .map(
        k =>
          `${JSON.stringify(k)}:${canonical(
            (value as Record<string, unknown>)[k],
          )}`,
      )
      .join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

/**
 * A short hash of what an entity says about itself (apiVersion, kind,
 * metadata without the catalog's uid and etag, spec), equal for the entity a
 * processor emits and the stitched entity the catalog later serves, so that
 * a reader can tell whether the catalog already serves a change it was told
 * about. Relations and status are left out: the catalog adds them.
 *
 * @public
 */
export function modelFingerprint(entity: Entity): string {
  const metadata = Object.fromEntries(
    Object.entries(entity.metadata).filter(
      ([k, v]) => !CATALOG_OWNED_METADATA.has(k) && v !== undefined,
    ),
  );
  const text = canonical({
    apiVersion: entity.apiVersion,
    kind: entity.kind,
    metadata,
    spec: entity.spec ?? null,
  });
  // Two 32-bit FNV-1a hashes with different offsets: a 64-bit fingerprint
  // without a crypto dependency (this package also runs in the browser).
  let a = 0x811c9dc5;
  let b = 0x01000193 ^ 0x5bd1e995;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    a = Math.imul(a ^ c, 0x01000193);
    b = Math.imul(b ^ c, 0x01000193) ^ (b >>> 15);
  }
  return `${(a >>> 0).toString(16).padStart(8, '0')}${(b >>> 0)
    .toString(16)
    .padStart(8, '0')}`;
}

/**
 * The lower-cased entity ref of a model, the key the change feed uses.
 *
 * @public
 */
export function modelChangeKey(entity: Entity): string {
  return stringifyEntityRef(entity).toLocaleLowerCase('en-US');
}
