import { readerCredentials } from './readerCredentials';
import type { ApiRouter, RouteContext } from './RouteContext';
import { toModelRef } from '../refs';

/** `GET /health`, `/models`, `/models/{namespace}/{name}[/card]`, `/metrics[/{name}]`. */
export function addModelRoutes(router: ApiRouter, ctx: RouteContext) {
  const { httpAuth, models } = ctx;
  const reader = readerCredentials(httpAuth, ctx.permissions);

  router.get('/health', (_req, res) => {
    res.json({ status: 'ok', models: ctx.index.size });
  });

  router.get('/models', async (req, res) => {
    const credentials = await reader(req);
    res.json(await models.list(credentials, req.query));
  });

  router.get('/metrics', async (req, res) => {
    const credentials = await reader(req);
    res.json(await models.metrics(credentials));
  });

  router.get('/metrics/:name', async (req, res) => {
    const credentials = await reader(req);
    res.json(await models.benchmark(credentials, req.params.name));
  });

  router.get('/models/:namespace/:name/card', async (req, res) => {
    const credentials = await reader(req);
    const ref = toModelRef(`model:${req.params.namespace}/${req.params.name}`);
    const markdown = await models.card(credentials, ref);
    res.type('text/markdown').send(markdown);
  });

  router.get('/models/:namespace/:name', async (req, res) => {
    const credentials = await reader(req);
    const ref = toModelRef(`model:${req.params.namespace}/${req.params.name}`);
    res.json(await models.details(credentials, ref));
  });
}
