import type { Entity } from '@backstage/catalog-model';
import type {
  PermissionCondition,
  PermissionCriteria,
} from '@backstage/plugin-permission-common';

type Params = Record<string, unknown>;

/**
 * Evaluates the conditions of a conditional catalog decision against an
 * entity in memory, for the catalog's built-in rules. An unknown rule does
 * not match, so unknown conditions deny rather than leak.
 */
export function matchesEntityConditions(
  entity: Entity,
  criteria: PermissionCriteria<PermissionCondition<string, any>>,
): boolean {
  if ('allOf' in criteria) {
    return criteria.allOf.every(c => matchesEntityConditions(entity, c));
  }
  if ('anyOf' in criteria) {
    return criteria.anyOf.some(c => matchesEntityConditions(entity, c));
  }
  if ('not' in criteria) {
    return !matchesEntityConditions(entity, criteria.not);
  }
  return matchesRule(entity, criteria.rule, (criteria.params ?? {}) as Params);
}

function matchesRule(entity: Entity, rule: string, params: Params): boolean {
  switch (rule) {
    case 'IS_ENTITY_KIND': {
      const kinds = (params.kinds as string[] | undefined) ?? [];
      const kind = entity.kind.toLocaleLowerCase('en-US');
      return kinds.some(k => k.toLocaleLowerCase('en-US') === kind);
    }
    case 'IS_ENTITY_OWNER': {
      const claims = (params.claims as string[] | undefined) ?? [];
      return (entity.relations ?? []).some(
        r => r.type === 'ownedBy' && claims.includes(r.targetRef),
      );
    }
    case 'HAS_ANNOTATION':
      return matchesRecord(
        entity.metadata.annotations,
        params.annotation as string,
        params.value as string | undefined,
      );
    case 'HAS_LABEL':
      return matchesRecord(
        entity.metadata.labels,
        params.label as string,
        params.value as string | undefined,
      );
    case 'HAS_METADATA':
      return matchesProperty(
        entity.metadata,
        params.key as string,
        params.value as string | undefined,
      );
    case 'HAS_SPEC':
      return matchesProperty(
        entity.spec,
        params.key as string,
        params.value as string | undefined,
      );
    default:
      return false;
  }
}

function matchesRecord(
  record: Record<string, string> | undefined,
  key: string,
  value: string | undefined,
): boolean {
  if (!record || typeof key !== 'string') {
    return false;
  }
  const wantedKey = key.toLocaleLowerCase('en-US');
  const wantedValue = value?.toLocaleLowerCase('en-US');
  return Object.entries(record).some(
    ([k, v]) =>
      k.toLocaleLowerCase('en-US') === wantedKey &&
      (wantedValue === undefined ||
        String(v).toLocaleLowerCase('en-US') === wantedValue),
  );
}

/**
 * Like the catalog's HAS_METADATA / HAS_SPEC: the key is a dotted path;
 * arrays match when any element matches; comparison ignores case.
 */
function matchesProperty(
  root: unknown,
  key: string,
  value: string | undefined,
): boolean {
  if (typeof key !== 'string' || !root) {
    return false;
  }
  const wanted = value?.toLocaleLowerCase('en-US');
  const values: unknown[] = [];
  collect(root, key.toLocaleLowerCase('en-US').split('.'), values);
  if (!values.length) {
    return false;
  }
  if (wanted === undefined) {
    return true;
  }
  return values.some(
    v =>
      (typeof v === 'string' ||
        typeof v === 'number' ||
        typeof v === 'boolean') &&
      String(v).toLocaleLowerCase('en-US') === wanted,
  );
}

function collect(node: unknown, path: string[], out: unknown[]) {
  if (Array.isArray(node)) {
    for (const item of node) {
      collect(item, path, out);
    }
    return;
  }
  if (path.length === 0) {
    if (node !== undefined && node !== null) {
      out.push(node);
    }
    return;
  }
  if (typeof node !== 'object' || node === null) {
    return;
  }
  const [head, ...rest] = path;
  for (const [k, v] of Object.entries(node)) {
    if (k.toLocaleLowerCase('en-US') === head) {
      collect(v, rest, out);
    }
  }
}
