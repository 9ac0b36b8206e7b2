import { parseEntityRef } from '@backstage/catalog-model';

/** The name part of an entity ref, with the namespace when it is not `default`. */
export function shortRef(ref: string, defaultKind = 'group'): string {
  try {
    const parsed = parseEntityRef(ref, { defaultKind });
    return parsed.namespace === 'default'
      ? parsed.name
      : `${parsed.namespace}/${parsed.name}`;
  } catch {
    return ref;
  }
}

/** Normalises a ref to `kind:namespace/name` in lower case. */
export function fullRef(ref: string, defaultKind: string): string {
  const parsed = parseEntityRef(ref, { defaultKind });
  return `${parsed.kind}:${parsed.namespace}/${parsed.name}`.toLocaleLowerCase(
    'en-US',
  );
}

/**
 * Parses a possibly shorthand ref (`ml-platform`) into a compound ref, for
 * components such as EntityRefLink that need the kind.
 */
export function compoundRef(ref: string, defaultKind: string) {
  return parseEntityRef(ref, { defaultKind, defaultNamespace: 'default' });
}
