import { mockServices } from '@backstage/backend-test-utils';
import { resolvePackagePath } from '@backstage/backend-plugin-api';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { createRouter } from '../service/createRouter';
import { CatalogMembership } from '../service/CatalogMembership';
import { ModelIndex } from '../index/ModelIndex';

type Layer = {
  route?: { path: string; methods: Record<string, boolean> };
  handle?: { stack?: Layer[] };
};

function routesOf(stack: Layer[]): string[] {
  const routes: string[] = [];
  for (const layer of stack) {
    if (layer.route) {
      for (const method of Object.keys(layer.route.methods)) {
        // express path params (:id) to OpenAPI ({id})
        routes.push(
          `${method.toUpperCase()} ${layer.route.path.replace(
            /:(\w+)/g,
            '{$1}',
          )}`,
        );
      }
    } else if (layer.handle?.stack) {
      routes.push(...routesOf(layer.handle.stack));
    }
  }
  return routes;
}

describe('openapi.yaml', () => {
  const spec = parse(
    readFileSync(
      resolvePackagePath(
        '@aic/plugin-model-marketplace-backend',
        'src/schema/openapi.yaml',
      ),
      'utf8',
    ),
  );

  it('describes exactly the routes of the router', async () => {
    const catalog = catalogServiceMock();
    const auth = mockServices.auth();
    const router = await createRouter({
      logger: mockServices.logger.mock(),
      auth,
      httpAuth: mockServices.httpAuth(),
      permissions: mockServices.permissions(),
      permissionsRegistry: mockServices.permissionsRegistry.mock({
        getPermissionRuleset: () => ({ getRuleByName: () => undefined } as any),
      }),
      auditor: mockServices.auditor.mock(),
      notifications: { send: jest.fn() },
      membership: new CatalogMembership(catalog, auth),
      index: new ModelIndex({
        catalog,
        auth,
        logger: mockServices.logger.mock(),
      }),
      requests: {} as any,
      deployments: {} as any,
    });
    // the generated router also serves the document itself
    const actual = routesOf((router as unknown as { stack: Layer[] }).stack)
      .filter(route => route !== 'GET /openapi.json')
      .sort();
    const documented = Object.entries(spec.paths as Record<string, object>)
      .flatMap(([path, ops]) =>
        Object.keys(ops)
          .filter(m => ['get', 'post', 'put', 'patch', 'delete'].includes(m))
          .map(m => `${m.toUpperCase()} ${path}`),
      )
      .sort();
    expect(actual).toEqual(documented);
  });

  it('documents every path parameter and an operation id', () => {
    for (const [path, ops] of Object.entries(
      spec.paths as Record<string, any>,
    )) {
      const params = [...path.matchAll(/\{(\w+)\}/g)].map(m => m[1]);
      for (const op of Object.values(ops) as any[]) {
        expect(op.operationId).toBeTruthy();
        const declared = (op.parameters ?? []).map((p: any) =>
          p.$ref
            ? spec.components.parameters[p.$ref.split('/').pop()].name
            : p.name,
        );
        for (const param of params) {
          expect(declared).toContain(param);
        }
      }
    }
  });
});
