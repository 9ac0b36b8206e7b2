import { StatusError } from './StatusError';

/** One requirement of a label selector. */
export interface LabelRequirement {
  key: string;
  operator: 'eq' | 'neq' | 'in' | 'notin' | 'exists' | 'notexists';
  values: string[];
}

function splitTopLevel(selector: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let current = '';
  for (const ch of selector) {
    if (ch === '(') depth++;
    if (ch === ')') depth--;
    if (ch === ',' && depth === 0) {
      parts.push(current);
      current = '';
    } else {
      current += ch;
    }
  }
  parts.push(current);
  return parts.map(p => p.trim()).filter(p => p.length > 0);
}

const KEY = String.raw`[A-Za-z0-9]([-A-Za-z0-9_./]*[A-Za-z0-9])?`;
const SET_RE = new RegExp(`^(${KEY})\\s+(in|notin)\\s*\\(([^)]*)\\)$`);
const EQ_RE = new RegExp(`^(${KEY})\\s*(==|=|!=)\\s*(.*)$`);
const EXISTS_RE = new RegExp(`^(!?)\\s*(${KEY})$`);

/**
 * Parses a label selector string such as `app=x,tier!=db,env in (a,b),!old`.
 * Throws a BadRequest StatusError when it cannot be parsed.
 */
export function parseLabelSelector(selector: string): LabelRequirement[] {
  return splitTopLevel(selector).map(part => {
    const set = SET_RE.exec(part);
    if (set) {
      return {
        key: set[1],
        operator: set[3] as 'in' | 'notin',
        values: set[4]
          .split(',')
          .map(v => v.trim())
          .filter(v => v.length > 0),
      };
    }
    const eq = EQ_RE.exec(part);
    if (eq) {
      return {
        key: eq[1],
        operator: eq[3] === '!=' ? 'neq' : 'eq',
        values: [eq[4].trim()],
      };
    }
    const exists = EXISTS_RE.exec(part);
    if (exists) {
      return {
        key: exists[2],
        operator: exists[1] === '!' ? 'notexists' : 'exists',
        values: [],
      };
    }
    throw StatusError.badRequest(
      `unable to parse requirement: invalid label selector "${part}"`,
    );
  });
}

/** Whether a set of labels satisfies every requirement. */
export function matchesLabels(
  requirements: LabelRequirement[],
  labels: Record<string, string> | undefined,
): boolean {
  const l = labels ?? {};
  return requirements.every(r => {
    const has = Object.prototype.hasOwnProperty.call(l, r.key);
    const value = l[r.key];
    switch (r.operator) {
      case 'eq':
        return has && value === r.values[0];
      case 'neq':
        return !has || value !== r.values[0];
      case 'in':
        return has && r.values.includes(value);
      case 'notin':
        return !has || !r.values.includes(value);
      case 'exists':
        return has;
      case 'notexists':
        return !has;
      default:
        return false;
    }
  });
}

/** One requirement of a field selector. */
export interface FieldRequirement {
  field: 'metadata.name' | 'metadata.namespace';
  negate: boolean;
  value: string;
}

/**
 * Parses a field selector. Only `metadata.name` and `metadata.namespace`
 * are supported, with `=`, `==` and `!=`.
 */
export function parseFieldSelector(selector: string): FieldRequirement[] {
  return splitTopLevel(selector).map(part => {
    const m = /^([a-zA-Z.]+)\s*(==|=|!=)\s*(.*)$/.exec(part);
    if (!m) {
      throw StatusError.badRequest(`invalid field selector: "${part}"`);
    }
    if (m[1] !== 'metadata.name' && m[1] !== 'metadata.namespace') {
      throw StatusError.badRequest(
        `field label not supported: ${m[1]} (only metadata.name and metadata.namespace)`,
      );
    }
    return { field: m[1], negate: m[2] === '!=', value: m[3].trim() };
  });
}

/** Whether an object satisfies every field requirement. */
export function matchesFields(
  requirements: FieldRequirement[],
  obj: { metadata?: { name?: string; namespace?: string } },
): boolean {
  return requirements.every(r => {
    const actual =
      r.field === 'metadata.name'
        ? obj.metadata?.name ?? ''
        : obj.metadata?.namespace ?? '';
    return r.negate ? actual !== r.value : actual === r.value;
  });
}
