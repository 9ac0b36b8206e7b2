import {
  coreServices,
  createBackendModule,
} from '@backstage/backend-plugin-api';
import { catalogProcessingExtensionPoint } from '@backstage/plugin-catalog-node';
import { KubeflowModelCatalogProvider } from './kubeflow/KubeflowModelCatalogProvider';
import { ModelCardProcessor } from './modelcard/ModelCardProcessor';
import { ModelEntityProcessor } from './ModelEntityProcessor';

/**
 * Registers the Model kind with the catalog, reads model cards
 * (`README.md` with front matter) as Model entities, and adds one Kubeflow
 * Model Catalog provider per entry of
 * `catalog.providers.kubeflowModelCatalog`.
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
      },
      async init({ catalog, config, logger, reader, scheduler }) {
        catalog.addProcessor(
          new ModelEntityProcessor(),
          new ModelCardProcessor(reader),
        );
        catalog.addEntityProvider(
          KubeflowModelCatalogProvider.fromConfig(config, {
            logger,
            reader,
            scheduler,
          }),
        );
      },
    });
  },
});
