/**
 * Helpers for the leaf field paths of an object, the unit of ownership in
 * the sandbox's simplified server-side apply. Lists are atomic: a list is
 * one leaf, as is an empty map.
 */
export type FieldPath = string[];

const MANAGED_METADATA = [
  'labels',
  'annotations',
  'finalizers',
  'ownerReferences',
];

function isMap(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** A key usable in sets and maps. */
export function pathKey(path: FieldPath): string {
  return JSON.stringify(path);
}

/** `.spec.replicas`, as the API server writes field paths in messages. */
export function pathString(path: FieldPath): string {
  return path.map(p => `.${p}`).join('');
}

/**
 * The leaf paths of the parts of an object a manager can own: everything
 * except apiVersion, kind, status and the metadata the server manages.
 */
export function ownableLeafPaths(obj: any, includeStatus = false): FieldPath[] {
  const paths: FieldPath[] = [];
  const walk = (value: unknown, path: FieldPath) => {
    if (isMap(value) && Object.keys(value).length > 0) {
      for (const [k, v] of Object.entries(value)) walk(v, [...path, k]);
    } else {
      paths.push(path);
    }
  };
  for (const [key, value] of Object.entries(obj ?? {})) {
    if (key === 'apiVersion' || key === 'kind') continue;
    if (key === 'status' && !includeStatus) continue;
    if (key === 'metadata') {
      for (const m of MANAGED_METADATA) {
        if (isMap(value) && value[m] !== undefined) {
          walk(value[m], ['metadata', m]);
        }
      }
      continue;
    }
    walk(value, [key]);
  }
  return paths;
}

/** The value at a path, or undefined. */
export function getAt(obj: any, path: FieldPath): unknown {
  let current = obj;
  for (const p of path) {
    if (!isMap(current)) return undefined;
    current = current[p];
  }
  return current;
}

/** Removes the value at a path and any map it leaves empty (below the top). */
export function deleteAt(obj: any, path: FieldPath): void {
  const parents: any[] = [];
  let current = obj;
  for (const p of path.slice(0, -1)) {
    if (!isMap(current[p])) return;
    parents.push(current);
    current = current[p];
  }
  delete current[path[path.length - 1]];
  for (let i = path.length - 2; i >= 1; i--) {
    const holder = parents[i];
    const child = holder[path[i]];
    if (isMap(child) && Object.keys(child).length === 0) delete holder[path[i]];
    else break;
  }
}

/** Deep equality of JSON values. */
export function jsonEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (Array.isArray(a) && Array.isArray(b)) {
    return a.length === b.length && a.every((v, i) => jsonEqual(v, b[i]));
  }
  if (isMap(a) && isMap(b)) {
    const ka = Object.keys(a);
    const kb = Object.keys(b);
    return (
      ka.length === kb.length &&
      ka.every(
        k =>
          Object.prototype.hasOwnProperty.call(b, k) && jsonEqual(a[k], b[k]),
      )
    );
  }
  return false;
}

/** Merges `patch` into `target` in place: maps merge, everything else replaces. */
export function deepMerge(target: any, patch: any): any {
  for (const [k, v] of Object.entries(patch ?? {})) {
    if (isMap(v) && isMap(target[k])) deepMerge(target[k], v);
    else target[k] = structuredClone(v);
  }
  return target;
}

/** Applies a JSON merge patch (RFC 7386) to `target` in place. */
export function mergePatch(target: any, patch: any): any {
  for (const [k, v] of Object.entries(patch ?? {})) {
    if (v === null) delete target[k];
    else if (isMap(v)) {
      if (!isMap(target[k])) target[k] = {};
      mergePatch(target[k], v);
    } else target[k] = structuredClone(v);
  }
  return target;
}

/** Converts leaf paths to the nested `FieldsV1` form (`{"f:spec":{"f:replicas":{}}}`). */
export function toFieldsV1(paths: FieldPath[]): Record<string, unknown> {
  const root: Record<string, any> = {};
  for (const path of paths) {
    let node = root;
    for (const p of path) {
      const k = `f:${p}`;
      node[k] = node[k] ?? {};
      node = node[k];
    }
  }
  return root;
}

/** Converts the nested `FieldsV1` form back to leaf paths. */
export function fromFieldsV1(fields: unknown): FieldPath[] {
  const paths: FieldPath[] = [];
  const walk = (node: unknown, path: FieldPath) => {
    const entries = isMap(node)
      ? Object.entries(node).filter(([k]) => k.startsWith('f:'))
      : [];
    if (entries.length === 0) {
      if (path.length > 0) paths.push(path);
      return;
    }
    for (const [k, child] of entries) walk(child, [...path, k.slice(2)]);
  };
  walk(fields, []);
  return paths;
}

/** Whether one path is the same as, or an ancestor of, the other. */
export function pathsOverlap(a: FieldPath, b: FieldPath): boolean {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) if (a[i] !== b[i]) return false;
  return true;
}
