import {
  coreServices,
  createBackendModule,
} from '@backstage/backend-plugin-api';
import { metricsServiceRef } from '@backstage/backend-plugin-api/alpha';
import { readDurationFromConfig } from '@backstage/config';
import { catalogServiceRef } from '@backstage/plugin-catalog-node';
import { durationToMilliseconds } from '@backstage/types';
import { scaffolderActionsExtensionPoint } from '@backstage/plugin-scaffolder-node';
import {
  DeployLimits,
  modelDeploymentServiceRef,
} from '@aic/plugin-model-marketplace-node';
import { MarketplaceGateway } from './MarketplaceGateway';
import { ModelActionMetrics } from './ModelActionMetrics';
import { createDeployModelAction } from './actions/createDeployModelAction';
import { createUndeployModelAction } from './actions/createUndeployModelAction';

/**
 * Adds `model:deploy` and `model:undeploy` to the scaffolder.
 *
 * @public
 */
export const scaffolderModuleModel = createBackendModule({
  pluginId: 'scaffolder',
  moduleId: 'model',
  register(reg) {
    reg.registerInit({
      deps: {
        scaffolder: scaffolderActionsExtensionPoint,
        catalog: catalogServiceRef,
        auth: coreServices.auth,
        discovery: coreServices.discovery,
        config: coreServices.rootConfig,
        logger: coreServices.logger,
        deployment: modelDeploymentServiceRef,
        metrics: metricsServiceRef,
      },
      async init(deps) {
        const { scaffolder, catalog, auth, discovery, config, logger } = deps;
        const marketplace = MarketplaceGateway.create({ auth, discovery });
        const options = {
          catalog,
          auth,
          logger,
          clusters: deps.deployment.clusters,
          deployer: deps.deployment.deployer,
          recorder: marketplace,
          approvals: marketplace,
          limits: DeployLimits.fromConfig(config),
          heartbeatIntervalMs: config.has(
            'modelMarketplace.deploy.heartbeatInterval',
          )
            ? durationToMilliseconds(
                readDurationFromConfig(config, {
                  key: 'modelMarketplace.deploy.heartbeatInterval',
                }),
              )
            : undefined,
        };
        // runs, durations, retries and rollbacks, in the scaffolder's scope
        const metrics = new ModelActionMetrics(deps.metrics);
        scaffolder.addActions(
          metrics.instrument('deploy', createDeployModelAction(options)),
          metrics.instrument('undeploy', createUndeployModelAction(options)),
        );
      },
    });
  },
});
