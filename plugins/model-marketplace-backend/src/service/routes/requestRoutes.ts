import { modelRequestReadPermission } from '@aic/plugin-model-marketplace-common';
import { modelAndTeamFilter, toModelRef, toTeamRef } from '../refs';
import { readerCredentials } from './readerCredentials';
import type { ApiRouter, RouteContext } from './RouteContext';

/** `/requests`: create, list, read, decide and cancel model requests. */
export function addRequestRoutes(router: ApiRouter, ctx: RouteContext) {
  const { httpAuth, permissions, requestWorkflow, requestQueries } = ctx;
  const reader = readerCredentials(
    httpAuth,
    permissions,
    modelRequestReadPermission,
  );

  router.post('/requests', async (req, res) => {
    const credentials = await httpAuth.credentials(req, { allow: ['user'] });
    const body = req.body;
    const created = await requestWorkflow.create(
      {
        model: toModelRef(body.model),
        version: body.version,
        team: toTeamRef(body.team),
        purpose: body.purpose,
      },
      { credentials, request: req },
    );
    res.status(201).json({ id: created.id, status: created.status });
  });

  router.get('/requests', async (req, res) => {
    const credentials = await reader(req);
    const query = req.query;
    res.json(
      await requestQueries.list(credentials, {
        ...query,
        ...modelAndTeamFilter(query),
      }),
    );
  });

  router.get('/requests/:id', async (req, res) => {
    const credentials = await reader(req);
    res.json(await requestQueries.get(credentials, req.params.id));
  });

  router.post('/requests/:id/decision', async (req, res) => {
    const credentials = await httpAuth.credentials(req, { allow: ['user'] });
    res.json(
      await requestWorkflow.decide(req.params.id, req.body, {
        credentials,
        request: req,
      }),
    );
  });

  router.post('/requests/:id/cancel', async (req, res) => {
    const credentials = await httpAuth.credentials(req, { allow: ['user'] });
    res.json(
      await requestWorkflow.cancel(req.params.id, req.body ?? {}, {
        credentials,
        request: req,
      }),
    );
  });
}
