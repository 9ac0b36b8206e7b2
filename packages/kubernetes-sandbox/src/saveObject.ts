import { randomUUID } from 'node:crypto';
import { jsonEqual } from './FieldPaths';
import { ResourceType, apiVersionOf } from './ResourceTypes';
import { Rollout } from './Rollout';
import { StatusError } from './StatusError';
import { Store } from './Store';
import { validateObject } from './Validation';

// Storing an object as the API server does: defaults, validation,
// server-set metadata, generation and a stable key order.

/** An RFC 3339 time without fractions, as Kubernetes writes it. */
export function timestamp(): string {
  return new Date().toISOString().replace(/\.\d+Z$/, 'Z');
}

/** The part of an object whose change bumps metadata.generation. */
function specPart(obj: any) {
  const {
    metadata: _m,
    status: _s,
    apiVersion: _a,
    kind: _k,
    ...rest
  } = obj ?? {};
  return rest;
}

/** An object without what changes on every write even when nothing else does. */
function comparable(obj: any) {
  const copy = structuredClone(obj);
  delete copy.metadata.resourceVersion;
  for (const entry of copy.metadata.managedFields ?? []) delete entry.time;
  return copy;
}

function applyDefaults(type: ResourceType, obj: any) {
  if (
    type.kind === 'Deployment' &&
    obj.spec &&
    obj.spec.replicas === undefined
  ) {
    obj.spec.replicas = 1;
  }
  if (type.kind === 'Service' && obj.spec) {
    if (obj.spec.type === undefined) obj.spec.type = 'ClusterIP';
  }
}

function orderKeys(obj: any) {
  const { apiVersion, kind, metadata, spec, status, ...rest } = obj;
  const ordered: any = { apiVersion, kind, metadata };
  if (spec !== undefined) ordered.spec = spec;
  Object.assign(ordered, rest);
  if (status !== undefined) ordered.status = status;
  return ordered;
}

/**
 * Validates, fills server-set metadata and defaults, and stores `next`
 * unless it equals `existing` or this is a dry run. Returns the result.
 */
export function saveObject(
  store: Store,
  rollout: Rollout,
  type: ResourceType,
  existing: any | undefined,
  next: any,
  dryRun = false,
): any {
  next.apiVersion = apiVersionOf(type);
  next.kind = type.kind;
  applyDefaults(type, next);
  const causes = validateObject(type, next);
  if (causes.length > 0) {
    throw StatusError.invalid(
      type.kind,
      type.group,
      next.metadata?.name ?? '',
      causes,
    );
  }
  if (existing) {
    for (const key of [
      'uid',
      'creationTimestamp',
      'generation',
      'resourceVersion',
      'deletionTimestamp',
    ]) {
      if (existing.metadata[key] !== undefined)
        next.metadata[key] = existing.metadata[key];
    }
    if (!jsonEqual(specPart(existing), specPart(next))) {
      next.metadata.generation = (existing.metadata.generation ?? 1) + 1;
    }
    if (jsonEqual(comparable(existing), comparable(next))) return existing;
  } else {
    next.metadata.uid = randomUUID();
    next.metadata.creationTimestamp = timestamp();
    next.metadata.generation = 1;
    delete next.metadata.resourceVersion;
    if (type.kind === 'Namespace') next.status = { phase: 'Active' };
    else if (next.status === undefined && type.kind !== 'Service')
      next.status = {};
  }
  if (dryRun) return next;
  const stored = store.put(type, orderKeys(next));
  if (
    type.workload &&
    (!existing || existing.metadata.generation !== stored.metadata.generation)
  ) {
    rollout.onSpecChange(type, stored);
  }
  return stored;
}
