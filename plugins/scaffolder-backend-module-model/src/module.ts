import {
  coreServices,
  createBackendModule,
} from '@backstage/backend-plugin-api';
import { readDurationFromConfig } from '@backstage/config';
import { catalogServiceRef } from '@backstage/plugin-catalog-node';
import { durationToMilliseconds } from '@backstage/types';
import { scaffolderActionsExtensionPoint } from '@backstage/plugin-scaffolder-node';
import {
  ClusterRegistry,
  DeployLimits,
  ModelDeployer,
} from '@aic/plugin-model-marketplace-node';
import { MarketplaceClient } from './MarketplaceClient';
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
      },
      async init({ scaffolder, catalog, auth, discovery, config, logger }) {
        const clusters = ClusterRegistry.fromConfig(config);
        const deployer = new ModelDeployer({ clusters, logger });
        const marketplace = new MarketplaceClient({ auth, discovery });
        const options = {
          catalog,
          auth,
          logger,
          clusters,
          deployer,
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
        scaffolder.addActions(
          createDeployModelAction(options),
          createUndeployModelAction(options),
        );
      },
    });
  },
});
