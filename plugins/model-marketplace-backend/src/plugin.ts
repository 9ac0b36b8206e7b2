import { EntityDisplayNames } from './service/EntityDisplayNames';
import { ModelCardReader } from './service/ModelCardReader';
import {
  coreServices,
  createBackendPlugin,
} from '@backstage/backend-plugin-api';
import {
  actionsRegistryServiceRef,
  metricsServiceRef,
} from '@backstage/backend-plugin-api/alpha';
import { readDurationFromConfig } from '@backstage/config';
import { catalogServiceRef } from '@backstage/plugin-catalog-node';
import { eventsServiceRef } from '@backstage/plugin-events-node';
import { notificationService } from '@backstage/plugin-notifications-node';
import { durationToMilliseconds } from '@backstage/types';
import { modelMarketplacePermissions } from '@aic/plugin-model-marketplace-common';
import { modelDeploymentServiceRef } from '@aic/plugin-model-marketplace-node';
import { DiscoveredDeployments } from './service/DiscoveredDeployments';
import { registerMarketplaceActions } from './actions/registerMarketplaceActions';
import { DatabaseDeploymentStore } from './database/DatabaseDeploymentStore';
import { DatabaseRequestStore } from './database/DatabaseRequestStore';
import { DatabaseModelChangeFeed } from './index/DatabaseModelChangeFeed';
import { ModelChangeFollower } from './index/ModelChangeFollower';
import { ModelIndex } from './index/ModelIndex';
import { MarketplaceMetrics } from './metrics/MarketplaceMetrics';
import { startModelIndex } from './index/startModelIndex';
import {
  modelRequestPermissionResourceRef,
  modelRequestPermissionRules,
} from './permissions/rules';
import { CachedDeploymentStatusReader } from './service/CachedDeploymentStatusReader';
import { CatalogMembership } from './service/CatalogMembership';
import { createRouter } from './service/createRouter';
import {
  DeploymentReconciler,
  RECONCILER_ACTOR,
} from './service/DeploymentReconciler';
import { deploymentFollower } from './service/deploymentFollower';
import { NotificationOutbox } from './service/NotificationOutbox';

/**
 * The model marketplace backend plugin: browse index, request workflow,
 * deployments inventory and their REST API at `/api/model-marketplace`.
 *
 * @public
 */
export const modelMarketplacePlugin = createBackendPlugin({
  pluginId: 'model-marketplace',
  register(env) {
    env.registerInit({
      deps: {
        config: coreServices.rootConfig,
        logger: coreServices.logger,
        database: coreServices.database,
        httpRouter: coreServices.httpRouter,
        httpAuth: coreServices.httpAuth,
        auth: coreServices.auth,
        permissions: coreServices.permissions,
        permissionsRegistry: coreServices.permissionsRegistry,
        auditor: coreServices.auditor,
        scheduler: coreServices.scheduler,
        lifecycle: coreServices.lifecycle,
        catalog: catalogServiceRef,
        notifications: notificationService,
        urlReader: coreServices.urlReader,
        deployment: modelDeploymentServiceRef,
        discovery: coreServices.discovery,
        actionsRegistry: actionsRegistryServiceRef,
        events: eventsServiceRef,
        metrics: metricsServiceRef,
      },
      async init(deps) {
        const { config, logger, database, httpRouter, auth, scheduler } = deps;
        const settings = config.getOptionalConfig('modelMarketplace');

        const requests = await DatabaseRequestStore.create({ database });
        const deployments = await DatabaseDeploymentStore.create({ database });
        const index = new ModelIndex({ catalog: deps.catalog, auth, logger });
        const changeFeed = await DatabaseModelChangeFeed.create({ database });
        const metrics = new MarketplaceMetrics(deps.metrics);
        metrics.observe({
          indexSize: () => index.size,
          pendingRequests: () => requests.pendingByPolicy(),
        });
        // notifications of the request workflow and the deployments wait
        // here (migrated with the requests) until a drain sends them
        const outbox = new NotificationOutbox({
          db: await database.getClient(),
          notifications: deps.notifications,
          logger,
        });
        deps.lifecycle.addShutdownHook(() => outbox.stop());

        deps.permissionsRegistry.addPermissions(modelMarketplacePermissions);
        deps.permissionsRegistry.addResourceType({
          resourceRef: modelRequestPermissionResourceRef,
          rules: Object.values(modelRequestPermissionRules),
          permissions: modelMarketplacePermissions.filter(
            p =>
              'resourceType' in p &&
              p.resourceType === modelRequestPermissionResourceRef.resourceType,
          ),
          getResources: async ids =>
            Promise.all(ids.map(id => requests.getRequest(id))),
        });

        // The live status of deployments, read from the clusters through the
        // node library and cached briefly.
        const statusReader = new CachedDeploymentStatusReader(
          deps.deployment.statusReader,
          {
            ttlMs: settings?.has('deployments.statusCacheTtl')
              ? durationToMilliseconds(
                  readDurationFromConfig(settings, {
                    key: 'deployments.statusCacheTtl',
                  }),
                )
              : 10_000,
          },
        );

        // KServe workloads the marketplace did not create, listed read-only.
        const discovered = DiscoveredDeployments.fromConfig(config, {
          logger,
          clusters: deps.deployment.clusters,
          models: () => index.all().map(m => m.entity),
        });

        // Finishes or rolls back deployments that no deploy finished (the
        // backend was killed mid-way) and retries failed rollbacks.
        const followDeployment = deploymentFollower(requests);
        const reconciler = new DeploymentReconciler({
          store: deployments,
          cluster: deps.deployment.deployer,
          logger,
          notifications: deps.notifications,
          metrics,
          afterWrite: (trx, after, before) =>
            followDeployment(trx, after, RECONCILER_ACTOR, before).then(
              () => undefined,
            ),
          staleAfterMs: durationToMilliseconds(
            settings?.has('deployments.reconcile.staleAfter')
              ? readDurationFromConfig(settings, {
                  key: 'deployments.reconcile.staleAfter',
                })
              : { minutes: 10 },
          ),
        });
        const reconcileFrequency = settings?.has(
          'deployments.reconcile.frequency',
        )
          ? readDurationFromConfig(settings, {
              key: 'deployments.reconcile.frequency',
            })
          : { minutes: 1 };

        const follower = new ModelChangeFollower({
          index,
          catalog: deps.catalog,
          auth,
          logger,
          feed: changeFeed,
        });
        deps.lifecycle.addShutdownHook(() => follower.stop());
        // Build the index once every plugin (the catalog too) is up, then
        // follow the catalog's changes.
        deps.lifecycle.addStartupHook(async () => {
          await startModelIndex({
            index,
            follower,
            feed: changeFeed,
            events: deps.events,
            scheduler,
            config,
            logger,
            afterRefresh: async () => {
              metrics.indexSynced();
              index.setPopularity(await requests.countByModel());
            },
            afterPoll: () => metrics.indexSynced(),
          });
          // what no in-process drain sent (a replica died, a send failed)
          await scheduler.scheduleTask({
            id: 'model-marketplace-notification-outbox',
            frequency: { seconds: 10 },
            timeout: { minutes: 5 },
            fn: async () => {
              await outbox.drain();
            },
          });
          // scope global (the default): one run at a time across replicas
          await scheduler.scheduleTask({
            id: 'model-marketplace-deployment-reconciler',
            frequency: reconcileFrequency,
            // soon after a start: a restart is when interrupted deploys are
            // found
            initialDelay: { seconds: 5 },
            timeout: { minutes: 10 },
            fn: async () => {
              const startedAt = Date.now();
              await reconciler.reconcileOnce();
              // what the two-replica test counts: one run per tick in all
              logger.debug(
                `Deployment reconciler run: ${startedAt}-${Date.now()}`,
              );
            },
          });
        });

        httpRouter.use(
          await createRouter({
            logger,
            auth,
            httpAuth: deps.httpAuth,
            permissions: deps.permissions,
            permissionsRegistry: deps.permissionsRegistry,
            auditor: deps.auditor,
            notifications: deps.notifications,
            membership: new CatalogMembership(deps.catalog, auth),
            index,
            requests,
            deployments,
            statusReader,
            discovered,
            modelCards: new ModelCardReader(deps.urlReader),
            names: new EntityDisplayNames(deps.catalog, auth, logger),
            metrics,
            outbox,
          }),
        );
        httpRouter.addAuthPolicy({ path: '/health', allow: 'unauthenticated' });

        // The same workflows as actions (MCP tools), run as the caller
        // through the REST API above and the scaffolder.
        registerMarketplaceActions(deps);
      },
    });
  },
});
