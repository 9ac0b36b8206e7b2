import { parseRoute, Route } from './Route';
import { StatusError } from './StatusError';

/** The route with the resource type reduced to its kind, for comparing. */
function brief(route: Route) {
  if (route.kind === 'collection' || route.kind === 'object') {
    const { type, ...rest } = route;
    return { ...rest, type: type.kind };
  }
  return route;
}

describe('parseRoute', () => {
  it.each<[string, object]>([
    ['/version', { kind: 'version' }],
    ['/openapi/v2', { kind: 'openapi' }],
    ['/api', { kind: 'coreVersions' }],
    ['/apis', { kind: 'groupList' }],
    ['/apis/apps', { kind: 'group', group: 'apps' }],
    ['/apis/apps/v1', { kind: 'resourceList', group: 'apps', version: 'v1' }],
    ['/api/v1', { kind: 'resourceList', group: '', version: 'v1' }],
    ['/api/v1/namespaces', { kind: 'collection', type: 'Namespace' }],
    [
      '/api/v1/namespaces/team-a',
      { kind: 'object', type: 'Namespace', name: 'team-a' },
    ],
    [
      '/api/v1/namespaces/team-a/status',
      {
        kind: 'object',
        type: 'Namespace',
        name: 'team-a',
        subresource: 'status',
      },
    ],
    // all-namespace list of a namespaced kind
    ['/apis/apps/v1/deployments', { kind: 'collection', type: 'Deployment' }],
    [
      '/apis/apps/v1/namespaces/team-a/deployments',
      { kind: 'collection', type: 'Deployment', namespace: 'team-a' },
    ],
    [
      '/apis/apps/v1/namespaces/team-a/deployments/my%20model',
      {
        kind: 'object',
        type: 'Deployment',
        namespace: 'team-a',
        name: 'my model',
      },
    ],
    [
      '/apis/apps/v1/namespaces/team-a/deployments/m/status',
      {
        kind: 'object',
        type: 'Deployment',
        namespace: 'team-a',
        name: 'm',
        subresource: 'status',
      },
    ],
  ])('reads %s', (path, expected) => {
    expect(brief(parseRoute(path))).toEqual(expected);
  });

  it.each([
    '/',
    '/healthz',
    '/apis/apps/v1/namespaces/team-a/widgets',
    '/apis/apps/v1/widgets',
    // a namespaced kind addressed without a namespace
    '/apis/apps/v1/deployments/m',
    // a cluster-scoped kind addressed inside a namespace
    '/api/v1/namespaces/team-a/namespaces',
    '/apis/apps/v1/namespaces/team-a/deployments/m/scale',
    '/api/v1/namespaces/team-a/status/extra',
  ])('answers 404 NotFound for %s', path => {
    let error: unknown;
    try {
      parseRoute(path);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(StatusError);
    expect(error).toMatchObject({ code: 404, reason: 'NotFound' });
  });
});
