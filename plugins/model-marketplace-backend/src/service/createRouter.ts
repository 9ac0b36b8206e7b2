import type {
  AuditorService,
  AuthService,
  HttpAuthService,
  LoggerService,
  PermissionsRegistryService,
  PermissionsService,
} from '@backstage/backend-plugin-api';
import type { DeploymentStatusReader } from '@aic/plugin-model-marketplace-common';
import type { NotificationService } from '@backstage/plugin-notifications-node';
import express from 'express';
import type { DeploymentStore } from '../database/DeploymentStore';
import type { RequestStore } from '../database/RequestStore';
import type { ModelIndex } from '../index/ModelIndex';
import type { MarketplaceMetrics } from '../metrics/MarketplaceMetrics';
import { CachedPermissions } from '../permissions/CachedPermissions';
import { CatalogReadDecisions } from '../permissions/CatalogReadDecisions';
import { createOpenApiRouter, spec } from '../schema/openapi';
import { ModelAccess } from './access/ModelAccess';
import type { CatalogMembership } from './CatalogMembership';
import { DeploymentInventory } from './DeploymentInventory';
import type { DiscoveredDeployments } from './DiscoveredDeployments';
import { deploymentFollower } from './deploymentFollower';
import type { EntityDisplayNames } from './EntityDisplayNames';
import { ModelCatalog } from './ModelCatalog';
import type { ModelCardReader } from './ModelCardReader';
import { ModelVisibility } from './ModelVisibility';
import type { NotificationOutbox } from './NotificationOutbox';
import { Notifier } from './Notifier';
import { nulByteGuard, rejectNulBytesInParams } from './rejectNulBytes';
import { RequestQueries } from './RequestQueries';
import { DefaultRequestWorkflow } from './RequestWorkflow';
import { unknownFieldGuard } from './unknownFieldGuard';
import { addAccessRoutes } from './routes/accessRoutes';
import { addDeploymentRoutes } from './routes/deploymentRoutes';
import { addModelRoutes } from './routes/modelRoutes';
import { addRequestRoutes } from './routes/requestRoutes';

/** Dependencies of {@link createRouter}. */
export type RouterOptions = {
  logger: LoggerService;
  auth: AuthService;
  httpAuth: HttpAuthService;
  permissions: PermissionsService;
  permissionsRegistry: PermissionsRegistryService;
  auditor: AuditorService;
  notifications: NotificationService;
  membership: CatalogMembership;
  index: ModelIndex;
  requests: RequestStore;
  deployments: DeploymentStore;
  statusReader?: DeploymentStatusReader;
  /** Workloads found in the clusters that the marketplace did not create. */
  discovered?: DiscoveredDeployments;
  /** Reads model cards; without it the card route answers 404. */
  modelCards?: ModelCardReader;
  /** Display names for notifications; without it they use short entity names. */
  names?: EntityDisplayNames;
  /** Counts requests and times browse calls; without it nothing is counted. */
  metrics?: MarketplaceMetrics;
  /** Durable, asynchronous notification sending; without it sends go out at once. */
  outbox?: NotificationOutbox;
  /**
   * How long a caller's permission decisions (catalog read, request create
   * and decide) are reused; default 5 s.
   */
  permissionDecisionTtlMs?: number;
};

/**
 * Builds the REST router of the model marketplace from the router generated
 * out of `src/schema/openapi.yaml`, which validates every request against
 * the document before a handler runs. The handlers only parse identity,
 * call a service and respond.
 */
export async function createRouter(
  options: RouterOptions,
): Promise<express.Router> {
  const { logger, auth, permissions, auditor, index, requests } = options;
  const { membership } = options;
  const notifier = new Notifier({
    notifications: options.notifications,
    logger,
    names: options.names,
    outbox: options.outbox,
  });
  // Browse, create and decide ask the same questions for each caller again
  // and again: one cache reuses the answers briefly (see CachedPermissions).
  const cachedPermissions = new CachedPermissions(
    permissions,
    auth,
    options.permissionDecisionTtlMs,
  );
  const visibility = new ModelVisibility(
    index,
    new CatalogReadDecisions(cachedPermissions),
    logger,
  );

  const router = await createOpenApiRouter({
    middleware: [
      express.json({ limit: '256kb' }),
      nulByteGuard,
      unknownFieldGuard(spec),
    ],
  });
  rejectNulBytesInParams(router, ['id', 'namespace', 'name']);

  const context = {
    httpAuth: options.httpAuth,
    permissions,
    index,
    models: new ModelCatalog({
      auth,
      index,
      visibility,
      membership,
      requests,
      deployments: options.deployments,
      modelCards: options.modelCards,
      metrics: options.metrics,
    }),
    access: new ModelAccess({
      visibility,
      membership,
      permissions,
      requests,
      deployments: options.deployments,
    }),
    requestWorkflow: new DefaultRequestWorkflow({
      requests,
      index,
      visibility,
      membership,
      permissions: cachedPermissions,
      permissionsRegistry: options.permissionsRegistry,
      auditor,
      notifier,
      metrics: options.metrics,
    }),
    requestQueries: new RequestQueries({ auth, requests, membership }),
    deployments: new DeploymentInventory({
      deployments: options.deployments,
      requests,
      followDeployment: deploymentFollower(requests),
      auditor,
      notifier,
      logger,
      statusReader: options.statusReader,
      discovered: options.discovered,
    }),
  };
  addModelRoutes(router, context);
  addRequestRoutes(router, context);
  addDeploymentRoutes(router, context);
  addAccessRoutes(router, context);
  return router;
}
