import { createBackendModule } from '@backstage/backend-plugin-api';
import { catalogProcessingExtensionPoint } from '@backstage/plugin-catalog-node';
import { ModelEntityProcessor } from './ModelEntityProcessor';

/**
 * Registers the Model kind with the catalog.
 *
 * @public
 */
export const catalogModuleModelEntity = createBackendModule({
  pluginId: 'catalog',
  moduleId: 'model-entity',
  register(reg) {
    reg.registerInit({
      deps: { catalog: catalogProcessingExtensionPoint },
      async init({ catalog }) {
        catalog.addProcessor(new ModelEntityProcessor());
      },
    });
  },
});
