import {
  createApiFactory,
  createComponentExtension,
  createPlugin,
  createRoutableExtension,
  discoveryApiRef,
  fetchApiRef,
} from '@backstage/core-plugin-api';
import { createScaffolderFieldExtension } from '@backstage/plugin-scaffolder-react';
import { ModelMarketplaceClient } from '@aic/plugin-model-marketplace-common';
import { modelMarketplaceApiRef } from './api';
import { rootRouteRef, scaffolderTemplateRouteRef } from './routes';
import { ModelVersionPicker } from './components/ModelVersionPicker';
import { TeamNamespacePicker } from './components/TeamNamespacePicker';
import { DeployTeamPicker } from './components/DeployTeamPicker';

/**
 * The model marketplace plugin for apps on the legacy frontend system.
 *
 * @public
 */
export const modelMarketplacePlugin = createPlugin({
  id: 'model-marketplace',
  apis: [
    createApiFactory({
      api: modelMarketplaceApiRef,
      deps: { discoveryApi: discoveryApiRef, fetchApi: fetchApiRef },
      factory: ({ discoveryApi, fetchApi }) =>
        new ModelMarketplaceClient({ discoveryApi, fetchApi }),
    }),
  ],
  routes: {
    root: rootRouteRef,
  },
  externalRoutes: {
    scaffolderTemplate: scaffolderTemplateRouteRef,
  },
});

/**
 * The marketplace page: browse, compare, my requests and approvals.
 * Mount it under a route such as `/models`.
 *
 * @public
 */
export const ModelMarketplacePage = modelMarketplacePlugin.provide(
  createRoutableExtension({
    name: 'ModelMarketplacePage',
    component: () =>
      import('./components/MarketplacePage').then(m => m.MarketplacePage),
    mountPoint: rootRouteRef,
  }),
);

/**
 * The content of the "Model" tab on the entity page of a Model.
 *
 * @public
 */
export const EntityModelContent = modelMarketplacePlugin.provide(
  createComponentExtension({
    name: 'EntityModelContent',
    component: {
      lazy: () =>
        import('./components/ModelEntityContent').then(
          m => m.ModelEntityContent,
        ),
    },
  }),
);

/**
 * Scaffolder field: the versions of the model chosen in the form.
 *
 * @public
 */
export const ModelVersionPickerFieldExtension = modelMarketplacePlugin.provide(
  createScaffolderFieldExtension({
    name: 'ModelVersionPicker',
    component: ModelVersionPicker,
  }),
);

/**
 * Scaffolder field: the namespaces the team chosen in the form owns.
 *
 * @public
 */
export const TeamNamespacePickerFieldExtension = modelMarketplacePlugin.provide(
  createScaffolderFieldExtension({
    name: 'TeamNamespacePicker',
    component: TeamNamespacePicker,
  }),
);

/**
 * Scaffolder field: the teams the user may deploy the model chosen in the
 * form for (the deploy guard's answer from the marketplace backend).
 *
 * @public
 */
export const DeployTeamPickerFieldExtension = modelMarketplacePlugin.provide(
  createScaffolderFieldExtension({
    name: 'DeployTeamPicker',
    component: DeployTeamPicker,
  }),
);
