import {
  coreServices,
  createBackendModule,
} from '@backstage/backend-plugin-api';
import { readSchedulerServiceTaskScheduleDefinitionFromConfig } from '@backstage/backend-plugin-api';
import {
  catalogProcessingExtensionPoint,
  catalogServiceRef,
} from '@backstage/plugin-catalog-node';
import { eventsServiceRef } from '@backstage/plugin-events-node';
import { ModelEndpointApiProvider } from './endpoints/ModelEndpointApiProvider';
import { KubeflowModelCatalogProvider } from './kubeflow/KubeflowModelCatalogProvider';
import { ModelCardProcessor } from './modelcard/ModelCardProcessor';
import { ModelChangePublisher } from './ModelChangePublisher';
import { ModelEntityProcessor } from './ModelEntityProcessor';

/**
 * Registers the Model kind with the catalog (announcing changed models on
 * the events service, topic `aic.model-marketplace.model-changed`), reads model cards
 * (`README.md` with front matter) as Model entities, and adds one Kubeflow
 * Model Catalog provider per entry of
 * `catalog.providers.kubeflowModelCatalog`. With
 * `catalog.providers.modelEndpointApis` it also keeps an `API` entity for
 * each Ready endpoint of a managed deployment.
 *
 * @public
 */
export const catalogModuleModelEntity = createBackendModule({
  pluginId: 'catalog',
  moduleId: 'model-entity',
  register(reg) {
    reg.registerInit({
      deps: {
        catalog: catalogProcessingExtensionPoint,
        config: coreServices.rootConfig,
        logger: coreServices.logger,
        reader: coreServices.urlReader,
        scheduler: coreServices.scheduler,
        discovery: coreServices.discovery,
        auth: coreServices.auth,
        catalogApi: catalogServiceRef,
        events: eventsServiceRef,
      },
      async init({
        catalog,
        config,
        logger,
        reader,
        scheduler,
        discovery,
        auth,
        catalogApi,
        events,
      }) {
        const changes = new ModelChangePublisher(events, logger);
        catalog.addProcessor(
          new ModelEntityProcessor(entity => changes.processed(entity)),
          new ModelCardProcessor(reader),
        );
        catalog.addEntityProvider(
          KubeflowModelCatalogProvider.fromConfig(config, {
            logger,
            reader,
            scheduler,
          }),
        );
        const endpointApis = config.getOptionalConfig(
          'catalog.providers.modelEndpointApis',
        );
        if (endpointApis) {
          catalog.addEntityProvider(
            new ModelEndpointApiProvider({
              discovery,
              auth,
              catalog: catalogApi,
              logger: logger.child({ provider: 'model-endpoint-apis' }),
              taskRunner: scheduler.createScheduledTaskRunner(
                endpointApis.has('schedule')
                  ? readSchedulerServiceTaskScheduleDefinitionFromConfig(
                      endpointApis.getConfig('schedule'),
                    )
                  : { frequency: { minutes: 1 }, timeout: { minutes: 1 } },
              ),
            }),
          );
        }
      },
    });
  },
});
