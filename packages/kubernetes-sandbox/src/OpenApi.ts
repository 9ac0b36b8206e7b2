import { RESOURCE_TYPES, ResourceType, apiVersionOf } from './ResourceTypes';

/**
 * A minimal OpenAPI v3 description. It holds no schemas: its only purpose is
 * to tell kubectl that PATCH accepts the `fieldValidation` query parameter,
 * so kubectl leaves validation to the server (which, being a sandbox,
 * validates lightly) instead of downloading schemas to validate itself.
 */

const HASH = 'sandbox-1';

function groupVersionPath(type: ResourceType): string {
  return type.group
    ? `apis/${type.group}/${type.version}`
    : `api/${type.version}`;
}

/** The body of `GET /openapi/v3`. */
export function openApiV3Index() {
  const paths: Record<string, { serverRelativeURL: string }> = {};
  for (const t of RESOURCE_TYPES) {
    const gv = groupVersionPath(t);
    paths[gv] = { serverRelativeURL: `/openapi/v3/${gv}?hash=${HASH}` };
  }
  return { paths };
}

const QUERY_PARAMS = [
  'dryRun',
  'fieldManager',
  'fieldValidation',
  'force',
  'pretty',
];

function operation(type: ResourceType, verb: string) {
  return {
    description: `${verb} the specified ${type.kind}`,
    operationId: `${verb}${type.kind}`,
    tags: [groupVersionPath(type)],
    parameters: QUERY_PARAMS.map(name => ({
      name,
      in: 'query',
      schema: {
        type: name === 'force' ? 'boolean' : 'string',
        uniqueItems: true,
      },
    })),
    responses: { '200': { description: 'OK' } },
    'x-kubernetes-action': verb,
    'x-kubernetes-group-version-kind': {
      group: type.group,
      version: type.version,
      kind: type.kind,
    },
  };
}

/** The body of `GET /openapi/v3/<api|apis/group>/<version>`, or undefined. */
export function openApiV3GroupVersion(path: string) {
  const types = RESOURCE_TYPES.filter(t => groupVersionPath(t) === path);
  if (types.length === 0) return undefined;
  const paths: Record<string, unknown> = {};
  for (const t of types) {
    const base = t.namespaced
      ? `/${groupVersionPath(t)}/namespaces/{namespace}/${t.plural}`
      : `/${groupVersionPath(t)}/${t.plural}`;
    paths[base] = { post: operation(t, 'post'), get: operation(t, 'list') };
    paths[`${base}/{name}`] = {
      get: operation(t, 'get'),
      put: operation(t, 'put'),
      patch: operation(t, 'patch'),
      delete: operation(t, 'delete'),
    };
  }
  return {
    openapi: '3.0.0',
    info: { title: 'Kubernetes sandbox', version: apiVersionOf(types[0]) },
    paths,
    components: { schemas: {} },
  };
}
