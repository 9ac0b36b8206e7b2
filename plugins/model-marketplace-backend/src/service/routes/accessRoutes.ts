import { toModelRef } from '../refs';
import { readerCredentials } from './readerCredentials';
import type { ApiRouter, RouteContext } from './RouteContext';

/**
 * Who uses a model and gated access: `GET /models/{namespace}/{name}/usage`,
 * the access-list export `GET /models/{namespace}/{name}/access-list` for
 * approvers, and `POST /requests/{id}/revoke`.
 */
export function addAccessRoutes(router: ApiRouter, ctx: RouteContext) {
  const { httpAuth, access, requestWorkflow } = ctx;
  const reader = readerCredentials(httpAuth, ctx.permissions);

  router.get('/models/:namespace/:name/usage', async (req, res) => {
    const credentials = await reader(req);
    const ref = toModelRef(`model:${req.params.namespace}/${req.params.name}`);
    res.json(await access.usage(credentials, ref));
  });

  router.get('/models/:namespace/:name/access-list', async (req, res) => {
    const credentials = await httpAuth.credentials(req, { allow: ['user'] });
    const ref = toModelRef(`model:${req.params.namespace}/${req.params.name}`);
    const file = await access.accessList(credentials, ref, req.query);
    res.setHeader(
      'Content-Disposition',
      `attachment; filename="${file.fileName}"`,
    );
    if (file.format === 'json') {
      res.json(file.body);
    } else {
      // text/csv: the typed `send` only knows the JSON body of this route
      res.type('text/csv; charset=utf-8').end(file.body);
    }
  });

  router.post('/requests/:id/revoke', async (req, res) => {
    const credentials = await httpAuth.credentials(req, { allow: ['user'] });
    res.json(
      await requestWorkflow.revoke(req.params.id, req.body, {
        credentials,
        request: req,
      }),
    );
  });
}
