import { randomUUID } from 'node:crypto';
import { mergePatch } from './FieldPaths';
import {
  matchesFields,
  matchesLabels,
  parseFieldSelector,
  parseLabelSelector,
} from './LabelSelector';
import {
  ApiResult,
  ObjectRequest,
  checkIdentity,
  defaultManager,
  isDryRun,
  parseBody,
} from './ObjectRequest';
import { RESOURCE_TYPES, apiVersionOf } from './ResourceTypes';
import { Rollout } from './Rollout';
import {
  ApplyConflictError,
  recordUpdate,
  serverSideApply,
} from './ServerSideApply';
import { saveObject, timestamp } from './saveObject';
import { StatusError, statusBody } from './StatusError';
import { Store } from './Store';

export type { ApiResult, ObjectRequest } from './ObjectRequest';

const NAMESPACE_TYPE = RESOURCE_TYPES.find(t => t.kind === 'Namespace')!;

/**
 * The verbs on objects: create, get, list, update, patch (server-side apply
 * and merge patch), delete, with dry-run, selectors, optimistic concurrency,
 * managed fields and generation.
 */
export class ObjectApi {
  constructor(
    private readonly store: Store,
    private readonly rollout: Rollout,
  ) {}

  /** Whether a namespace exists. */
  namespaceExists(name: string): boolean {
    return this.store.get(NAMESPACE_TYPE, '', name) !== undefined;
  }

  /** Creates a namespace at start-up. */
  ensureNamespace(name: string) {
    if (this.namespaceExists(name)) return;
    saveObject(this.store, this.rollout, NAMESPACE_TYPE, undefined, {
      apiVersion: 'v1',
      kind: 'Namespace',
      metadata: { name },
    });
  }

  /** A list filter from the labelSelector and fieldSelector parameters. */
  matcher(query: URLSearchParams): (obj: any) => boolean {
    const labels = parseLabelSelector(query.get('labelSelector') ?? '');
    const fields = parseFieldSelector(query.get('fieldSelector') ?? '');
    return obj =>
      matchesLabels(labels, obj.metadata?.labels) && matchesFields(fields, obj);
  }

  list(req: ObjectRequest): ApiResult {
    this.requireNamespace(req);
    const matches = this.matcher(req.query);
    const items = this.store.list(req.type, req.namespace).filter(matches);
    return {
      status: 200,
      body: {
        kind: `${req.type.kind}List`,
        apiVersion: apiVersionOf(req.type),
        metadata: { resourceVersion: String(this.store.currentVersion()) },
        items,
      },
    };
  }

  get(req: ObjectRequest): ApiResult {
    return { status: 200, body: this.existing(req) };
  }

  create(req: ObjectRequest): ApiResult {
    this.requireNamespace(req);
    const obj = parseBody(req, false);
    checkIdentity(req, obj);
    obj.metadata = obj.metadata ?? {};
    if (!obj.metadata.name && obj.metadata.generateName) {
      obj.metadata.name = `${obj.metadata.generateName}${randomUUID().slice(
        0,
        5,
      )}`;
    }
    if (req.type.namespaced) obj.metadata.namespace = req.namespace;
    const name = obj.metadata.name;
    if (name && this.store.get(req.type, req.namespace ?? '', name)) {
      throw StatusError.alreadyExists(req.type.plural, req.type.group, name);
    }
    const manager =
      req.query.get('fieldManager') ?? defaultManager(req.userAgent);
    delete obj.status;
    return { status: 201, body: this.write(req, undefined, obj, manager) };
  }

  update(req: ObjectRequest): ApiResult {
    const existing = this.existing(req);
    const obj = parseBody(req, false);
    checkIdentity(req, obj);
    const sent = obj.metadata?.resourceVersion;
    if (sent && sent !== existing.metadata.resourceVersion) {
      throw StatusError.conflict(
        req.type.plural,
        req.type.group,
        req.name!,
        'the object has been modified; please apply your changes to the latest version and try again',
      );
    }
    const next =
      req.subresource === 'status'
        ? { ...existing, status: obj.status }
        : {
            ...obj,
            metadata: {
              ...existing.metadata,
              labels: obj.metadata?.labels,
              annotations: obj.metadata?.annotations,
              finalizers: obj.metadata?.finalizers,
              ownerReferences: obj.metadata?.ownerReferences,
            },
            status: existing.status,
          };
    dropUndefined(next.metadata);
    const manager =
      req.query.get('fieldManager') ?? defaultManager(req.userAgent);
    return { status: 200, body: this.write(req, existing, next, manager) };
  }

  patch(req: ObjectRequest): ApiResult {
    const contentType = req.contentType.split(';')[0].trim();
    if (contentType === 'application/apply-patch+yaml') return this.apply(req);
    if (
      contentType !== 'application/merge-patch+json' &&
      contentType !== 'application/strategic-merge-patch+json'
    ) {
      throw new StatusError(
        415,
        'UnsupportedMediaType',
        `the body of the request was in an unknown format - accepted media types include: application/merge-patch+json, application/strategic-merge-patch+json, application/apply-patch+yaml`,
      );
    }
    const existing = this.existing(req);
    const patch = parseBody(req, false);
    const next = structuredClone(existing);
    if (req.subresource === 'status') {
      next.status = mergePatch(next.status ?? {}, patch.status ?? {});
    } else {
      const { status: _s, ...rest } = patch;
      mergePatch(next, rest);
      next.metadata.name = existing.metadata.name;
      if (existing.metadata.namespace) {
        next.metadata.namespace = existing.metadata.namespace;
      }
      const sent = patch.metadata?.resourceVersion;
      if (sent && sent !== existing.metadata.resourceVersion) {
        throw StatusError.conflict(
          req.type.plural,
          req.type.group,
          req.name!,
          'the object has been modified; please apply your changes to the latest version and try again',
        );
      }
      next.metadata.resourceVersion = existing.metadata.resourceVersion;
    }
    const manager =
      req.query.get('fieldManager') ?? defaultManager(req.userAgent);
    return { status: 200, body: this.write(req, existing, next, manager) };
  }

  delete(req: ObjectRequest): ApiResult {
    const existing = this.existing(req);
    const options = req.body.length > 0 ? parseBody(req, false) : {};
    const pre = options?.preconditions ?? {};
    if (
      (pre.resourceVersion &&
        pre.resourceVersion !== existing.metadata.resourceVersion) ||
      (pre.uid && pre.uid !== existing.metadata.uid)
    ) {
      throw StatusError.conflict(
        req.type.plural,
        req.type.group,
        req.name!,
        'the object has been modified; please apply your changes to the latest version and try again',
      );
    }
    const dryRun = isDryRun(req.query, options);
    if (!dryRun) {
      this.store.remove(req.type, req.namespace ?? '', req.name!);
      if (req.type === NAMESPACE_TYPE) {
        for (const t of RESOURCE_TYPES.filter(x => x.namespaced)) {
          for (const o of this.store.list(t, req.name)) {
            this.store.remove(t, req.name!, o.metadata.name);
          }
        }
      }
    }
    if (req.type === NAMESPACE_TYPE) {
      return {
        status: 200,
        body: {
          ...existing,
          metadata: { ...existing.metadata, deletionTimestamp: timestamp() },
          status: { phase: 'Terminating' },
        },
      };
    }
    return {
      status: 200,
      body: {
        ...statusBody(200, '', ''),
        details: {
          name: req.name,
          group: req.type.group || undefined,
          kind: req.type.plural,
          uid: existing.metadata.uid,
        },
        message: undefined,
        reason: undefined,
      },
    };
  }

  deleteCollection(req: ObjectRequest): ApiResult {
    this.requireNamespace(req);
    const matches = this.matcher(req.query);
    const items = this.store.list(req.type, req.namespace).filter(matches);
    if (!isDryRun(req.query, {})) {
      for (const o of items) {
        this.store.remove(
          req.type,
          o.metadata.namespace ?? '',
          o.metadata.name,
        );
      }
    }
    return {
      status: 200,
      body: {
        kind: `${req.type.kind}List`,
        apiVersion: apiVersionOf(req.type),
        metadata: { resourceVersion: String(this.store.currentVersion()) },
        items,
      },
    };
  }

  private apply(req: ObjectRequest): ApiResult {
    const manager = req.query.get('fieldManager');
    const applied = parseBody(req, true);
    if (!manager) {
      throw StatusError.invalid(req.type.plural, req.type.group, req.name!, [
        {
          type: 'FieldValueRequired',
          field: 'fieldManager',
          message: 'Required value: is required for apply patch',
        },
      ]);
    }
    if (
      typeof applied !== 'object' ||
      applied === null ||
      Array.isArray(applied)
    ) {
      throw StatusError.badRequest('the apply patch must be an object');
    }
    checkIdentity(req, applied);
    if (!applied.apiVersion || !applied.kind) {
      throw StatusError.badRequest(
        'apiVersion and kind must be set in an apply patch',
      );
    }
    // checkIdentity refused a metadata.name other than the URL's.
    applied.metadata = { ...(applied.metadata ?? {}), name: req.name };
    if (req.type.namespaced) applied.metadata.namespace = req.namespace;
    this.requireNamespace(req);
    const existing = this.store.get(req.type, req.namespace ?? '', req.name!);
    if (existing === undefined && req.subresource === 'status') {
      throw StatusError.notFound(req.type.plural, req.type.group, req.name!);
    }
    const force = ['true', '1'].includes(req.query.get('force') ?? '');
    let next: any;
    try {
      next = serverSideApply({
        existing,
        applied,
        manager,
        force,
        apiVersion: apiVersionOf(req.type),
        subresource: req.subresource,
      });
    } catch (e) {
      if (e instanceof ApplyConflictError) {
        throw new StatusError(409, 'Conflict', e.message, {
          name: req.name,
          group: req.type.group || undefined,
          kind: req.type.plural,
          causes: e.conflicts.map(c => ({
            type: 'FieldManagerConflict',
            message: `conflict with "${c.manager}": ${c.path
              .map(p => `.${p}`)
              .join('')}`,
            field: c.path.map(p => `.${p}`).join(''),
          })),
        });
      }
      throw e;
    }
    return {
      status: existing ? 200 : 201,
      body: this.saveFor(req, existing, next),
    };
  }

  private write(
    req: ObjectRequest,
    existing: any | undefined,
    next: any,
    manager: string,
  ): any {
    recordUpdate({
      before: existing,
      after: next,
      manager,
      apiVersion: apiVersionOf(req.type),
      subresource: req.subresource,
    });
    return this.saveFor(req, existing, next);
  }

  /** Saves `next` as the request's type, honouring its dry-run flag. */
  private saveFor(req: ObjectRequest, existing: any | undefined, next: any) {
    return saveObject(
      this.store,
      this.rollout,
      req.type,
      existing,
      next,
      isDryRun(req.query, {}),
    );
  }

  private existing(req: ObjectRequest): any {
    this.requireNamespace(req);
    const obj = this.store.get(req.type, req.namespace ?? '', req.name!);
    if (!obj) {
      throw StatusError.notFound(req.type.plural, req.type.group, req.name!);
    }
    return obj;
  }

  private requireNamespace(req: ObjectRequest) {
    if (req.namespace !== undefined && !this.namespaceExists(req.namespace)) {
      throw StatusError.notFound('namespaces', '', req.namespace);
    }
  }
}

function dropUndefined(obj: Record<string, unknown>) {
  for (const k of Object.keys(obj)) if (obj[k] === undefined) delete obj[k];
}
