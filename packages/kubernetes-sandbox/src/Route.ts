import { ResourceType, findResourceType } from './ResourceTypes';
import { StatusError } from './StatusError';

/** What a request URL addresses. */
export type Route =
  | { kind: 'version' }
  | { kind: 'coreVersions' }
  | { kind: 'groupList' }
  | { kind: 'group'; group: string }
  | { kind: 'resourceList'; group: string; version: string }
  | { kind: 'openapi' }
  | {
      kind: 'collection';
      type: ResourceType;
      /** Undefined for cluster-scoped kinds and for all-namespace lists. */
      namespace?: string;
    }
  | {
      kind: 'object';
      type: ResourceType;
      namespace?: string;
      name: string;
      subresource?: 'status';
    };

function typeOrNotFound(group: string, version: string, plural: string) {
  const type = findResourceType(group, version, plural);
  if (!type) {
    throw new StatusError(
      404,
      'NotFound',
      'the server could not find the requested resource',
      { kind: plural, group: group || undefined },
    );
  }
  return type;
}

function notFound(): never {
  throw new StatusError(
    404,
    'NotFound',
    'the server could not find the requested resource',
  );
}

/** Parses a request path into a {@link Route}; throws a 404 StatusError. */
export function parseRoute(path: string): Route {
  const parts = path
    .split('/')
    .filter(p => p.length > 0)
    .map(decodeURIComponent);
  if (parts.length === 1 && parts[0] === 'version') return { kind: 'version' };
  if (parts[0] === 'openapi') return { kind: 'openapi' };
  let group: string;
  let version: string;
  let rest: string[];
  if (parts[0] === 'api') {
    if (parts.length === 1) return { kind: 'coreVersions' };
    group = '';
    version = parts[1];
    rest = parts.slice(2);
  } else if (parts[0] === 'apis') {
    if (parts.length === 1) return { kind: 'groupList' };
    if (parts.length === 2) return { kind: 'group', group: parts[1] };
    group = parts[1];
    version = parts[2];
    rest = parts.slice(3);
  } else {
    return notFound();
  }
  if (rest.length === 0) return { kind: 'resourceList', group, version };

  const clusterScoped = (plural: string, tail: string[]): Route => {
    const type = typeOrNotFound(group, version, plural);
    if (tail.length === 0) return { kind: 'collection', type };
    if (type.namespaced) return notFound();
    if (tail.length === 1) return { kind: 'object', type, name: tail[0] };
    if (tail.length === 2 && tail[1] === 'status' && type.hasStatus) {
      return { kind: 'object', type, name: tail[0], subresource: 'status' };
    }
    return notFound();
  };

  if (
    group === '' &&
    rest.length === 3 &&
    rest[0] === 'namespaces' &&
    rest[2] === 'status'
  ) {
    return clusterScoped('namespaces', [rest[1], 'status']);
  }
  if (rest[0] === 'namespaces' && rest.length >= 3) {
    const namespace = rest[1];
    const type = typeOrNotFound(group, version, rest[2]);
    if (!type.namespaced) return notFound();
    const tail = rest.slice(3);
    if (tail.length === 0) return { kind: 'collection', type, namespace };
    if (tail.length === 1) {
      return { kind: 'object', type, namespace, name: tail[0] };
    }
    if (tail.length === 2 && tail[1] === 'status' && type.hasStatus) {
      return {
        kind: 'object',
        type,
        namespace,
        name: tail[0],
        subresource: 'status',
      };
    }
    return notFound();
  }
  return clusterScoped(rest[0], rest.slice(1));
}
