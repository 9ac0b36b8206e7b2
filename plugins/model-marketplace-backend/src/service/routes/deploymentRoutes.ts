import { modelDeploymentReadPermission } from '@aic/plugin-model-marketplace-common';
import { modelAndTeamFilter, toModelRef, toTeamRef } from '../refs';
import { readerCredentials } from './readerCredentials';
import type { ApiRouter, RouteContext } from './RouteContext';

/** `/deployments`: the inventory, its history, and what deploys record. */
export function addDeploymentRoutes(router: ApiRouter, ctx: RouteContext) {
  const { httpAuth, deployments } = ctx;
  const reader = readerCredentials(
    httpAuth,
    ctx.permissions,
    modelDeploymentReadPermission,
  );

  router.get('/deployments', async (req, res) => {
    await reader(req);
    const items = await deployments.list({
      ...modelAndTeamFilter(req.query),
      status: req.query.status,
    });
    res.json({ items });
  });

  router.get('/deployments/history', async (req, res) => {
    await reader(req);
    const items = await deployments.history({
      ...modelAndTeamFilter(req.query),
      deploymentId: req.query.deploymentId,
      limit: req.query.limit,
    });
    res.json({ items });
  });

  router.get('/deployments/:id', async (req, res) => {
    await reader(req);
    res.json(await deployments.get(req.params.id));
  });

  // Only the scaffolder's deploy actions record deploys (service credentials).
  router.post('/deployments', async (req, res) => {
    await httpAuth.credentials(req, { allow: ['service'] });
    const input = {
      ...req.body,
      model: toModelRef(req.body.model),
      team: toTeamRef(req.body.team),
    };
    res.status(201).json(await deployments.record(input, req));
  });

  router.patch('/deployments/:id', async (req, res) => {
    await httpAuth.credentials(req, { allow: ['service'] });
    res.json(await deployments.update(req.params.id, req.body, req));
  });
}
