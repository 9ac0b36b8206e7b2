import {
  FieldPath,
  deepMerge,
  deleteAt,
  fromFieldsV1,
  getAt,
  jsonEqual,
  ownableLeafPaths,
  pathKey,
  pathString,
  pathsOverlap,
  toFieldsV1,
} from './FieldPaths';

/** One entry of `metadata.managedFields`. */
export interface ManagedFieldsEntry {
  manager: string;
  operation: 'Apply' | 'Update';
  apiVersion: string;
  time: string;
  fieldsType: 'FieldsV1';
  fieldsV1: Record<string, unknown>;
  subresource?: string;
}

/** A field another manager owns with a different value. */
export interface FieldConflict {
  manager: string;
  path: FieldPath;
}

interface Ownership {
  entry: ManagedFieldsEntry;
  paths: FieldPath[];
}

function readOwnership(obj: any): Ownership[] {
  const entries: ManagedFieldsEntry[] = obj?.metadata?.managedFields ?? [];
  return entries.map(entry => ({
    entry,
    paths: fromFieldsV1(entry.fieldsV1),
  }));
}

function writeOwnership(obj: any, owners: Ownership[]) {
  const entries = owners
    .filter(o => o.paths.length > 0)
    .map(o => {
      const fieldsV1 = toFieldsV1(o.paths);
      const changed = !jsonEqual(fieldsV1, o.entry.fieldsV1);
      return {
        ...o.entry,
        fieldsV1,
        time: changed
          ? new Date().toISOString().replace(/\.\d+Z$/, 'Z')
          : o.entry.time,
      };
    });
  obj.metadata = obj.metadata ?? {};
  if (entries.length > 0) obj.metadata.managedFields = entries;
  else delete obj.metadata.managedFields;
}

function ownerEntry(
  owners: Ownership[],
  manager: string,
  operation: 'Apply' | 'Update',
  apiVersion: string,
  subresource: string | undefined,
): Ownership {
  let owner = owners.find(
    o =>
      o.entry.manager === manager &&
      o.entry.operation === operation &&
      o.entry.subresource === subresource,
  );
  if (!owner) {
    owner = {
      entry: {
        manager,
        operation,
        apiVersion,
        time: '',
        fieldsType: 'FieldsV1',
        fieldsV1: {},
        ...(subresource ? { subresource } : {}),
      },
      paths: [],
    };
    owners.push(owner);
  }
  owner.entry.apiVersion = apiVersion;
  return owner;
}

/** The message the API server gives for apply conflicts. */
export function conflictMessage(
  conflicts: FieldConflict[],
  apiVersion: string,
): string {
  const n = conflicts.length;
  const lines = conflicts.map(
    c =>
      `conflict with "${c.manager}" using ${apiVersion}: ${pathString(c.path)}`,
  );
  if (n === 1) return `Apply failed with 1 conflict: ${lines[0]}`;
  return `Apply failed with ${n} conflicts: ${lines.join('\n')}`;
}

/** Thrown by {@link serverSideApply} when fields conflict and force is off. */
export class ApplyConflictError extends Error {
  constructor(readonly conflicts: FieldConflict[], apiVersion: string) {
    super(conflictMessage(conflicts, apiVersion));
  }
}

/**
 * Server-side apply, simplified: ownership is tracked per leaf path (lists
 * are atomic). Returns the new object, with its managedFields updated; the
 * caller decides whether anything changed. `existing` is not modified.
 */
export function serverSideApply(options: {
  existing: any | undefined;
  applied: any;
  manager: string;
  force: boolean;
  apiVersion: string;
  subresource?: string;
}): any {
  const { existing, applied, manager, force, apiVersion, subresource } =
    options;
  const includeStatus = subresource === 'status';
  const appliedPaths = ownableLeafPaths(applied, includeStatus).filter(
    p => includeStatus === (p[0] === 'status'),
  );
  const owners = readOwnership(existing);
  const conflicts: FieldConflict[] = [];
  const forced: { owner: Ownership; path: FieldPath }[] = [];

  for (const path of appliedPaths) {
    for (const owner of owners) {
      if (owner.entry.manager === manager) continue;
      for (const owned of owner.paths) {
        if (!pathsOverlap(owned, path)) continue;
        const shorter = owned.length <= path.length ? owned : path;
        if (jsonEqual(getAt(existing, shorter), getAt(applied, shorter)))
          continue;
        conflicts.push({ manager: owner.entry.manager, path: owned });
        forced.push({ owner, path: owned });
      }
    }
  }
  if (conflicts.length > 0 && !force) {
    const unique = new Map(
      conflicts.map(c => [`${c.manager}${pathKey(c.path)}`, c]),
    );
    throw new ApplyConflictError([...unique.values()], apiVersion);
  }
  for (const { owner, path } of forced) {
    owner.paths = owner.paths.filter(p => pathKey(p) !== pathKey(path));
  }

  const result = existing
    ? structuredClone(existing)
    : {
        metadata: {
          name: applied.metadata?.name,
          ...(applied.metadata?.namespace
            ? { namespace: applied.metadata.namespace }
            : {}),
        },
      };
  const mine = ownerEntry(owners, manager, 'Apply', apiVersion, subresource);
  const appliedKeys = new Set(appliedPaths.map(pathKey));
  for (const old of mine.paths) {
    if (appliedKeys.has(pathKey(old))) continue;
    const ownedByOthers = owners.some(
      o => o !== mine && o.paths.some(p => pathsOverlap(p, old)),
    );
    if (!ownedByOthers) deleteAt(result, old);
  }
  mine.paths = appliedPaths;

  const { metadata: meta = {}, status, ...rest } = structuredClone(applied);
  if (includeStatus) {
    result.status = deepMerge(result.status ?? {}, status ?? {});
  } else {
    delete rest.apiVersion;
    delete rest.kind;
    deepMerge(result, rest);
    for (const key of [
      'labels',
      'annotations',
      'finalizers',
      'ownerReferences',
    ]) {
      if (meta[key] === undefined) continue;
      result.metadata[key] = Array.isArray(meta[key])
        ? meta[key]
        : deepMerge(result.metadata[key] ?? {}, meta[key]);
    }
  }
  result.apiVersion = apiVersion;
  result.kind = applied.kind ?? existing?.kind;
  writeOwnership(result, owners);
  return result;
}

/**
 * Records ownership for a non-apply write (create, update, merge patch):
 * the manager takes every leaf whose value it changed; leaves that are gone
 * are dropped from every manager.
 */
export function recordUpdate(options: {
  before: any | undefined;
  after: any;
  manager: string;
  apiVersion: string;
  subresource?: string;
}): void {
  const { before, after, manager, apiVersion, subresource } = options;
  const includeStatus = subresource === 'status';
  const owners = readOwnership(before);
  const afterPaths = ownableLeafPaths(after, includeStatus);
  const afterKeys = new Set(afterPaths.map(pathKey));
  const changed = afterPaths.filter(
    p =>
      includeStatus === (p[0] === 'status') &&
      !jsonEqual(getAt(before, p), getAt(after, p)),
  );
  const changedKeys = new Set(changed.map(pathKey));
  for (const owner of owners) {
    owner.paths = owner.paths.filter(
      p => afterKeys.has(pathKey(p)) || (p[0] === 'status') !== includeStatus,
    );
    owner.paths = owner.paths.filter(p => !changedKeys.has(pathKey(p)));
  }
  if (changed.length > 0) {
    const mine = ownerEntry(owners, manager, 'Update', apiVersion, subresource);
    const existingKeys = new Set(mine.paths.map(pathKey));
    mine.paths.push(...changed.filter(p => !existingKeys.has(pathKey(p))));
  }
  writeOwnership(after, owners);
}
