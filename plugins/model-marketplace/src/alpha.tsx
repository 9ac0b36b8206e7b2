/**
 * The model marketplace plugin for the new frontend system.
 *
 * @packageDocumentation
 */
import {
  ApiBlueprint,
  PageBlueprint,
  createFrontendPlugin,
  discoveryApiRef,
  fetchApiRef,
} from '@backstage/frontend-plugin-api';
import { EntityContentBlueprint } from '@backstage/plugin-catalog-react/alpha';
import { FormFieldBlueprint } from '@backstage/plugin-scaffolder-react/alpha';
import MemoryIcon from '@material-ui/icons/Memory';
import { Content } from '@backstage/core-components';
import {
  ModelMarketplaceClient,
  isModelEntity,
} from '@aic/plugin-model-marketplace-common';
import {
  convertLegacyRouteRef,
  convertLegacyRouteRefs,
} from '@backstage/core-compat-api';
import { modelMarketplaceApiRef } from './api';
import { preloadFirstPage } from './hooks/firstPagePreload';
import { rootRouteRef, scaffolderTemplateRouteRef } from './routes';

/** The marketplace page: the same route as the legacy plugin's. @alpha */
export const marketplaceRouteRef = convertLegacyRouteRef(rootRouteRef);

/** The REST client of the model marketplace backend. @alpha */
export const modelMarketplaceApi = ApiBlueprint.make({
  params: defineParams =>
    defineParams({
      api: modelMarketplaceApiRef,
      deps: { discoveryApi: discoveryApiRef, fetchApi: fetchApiRef },
      factory: ({ discoveryApi, fetchApi }) =>
        new ModelMarketplaceClient({ discoveryApi, fetchApi }),
    }),
});

/** The marketplace page at `/models`, shown as "Models" in the nav. @alpha */
export const modelMarketplacePage = PageBlueprint.makeWithOverrides({
  factory(originalFactory, { apis }) {
    return originalFactory({
      path: '/models',
      title: 'Models',
      icon: <MemoryIcon fontSize="inherit" />,
      routeRef: marketplaceRouteRef,
      // The chunk is prefetched at idle priority once the app has loaded, so
      // that a first visit to /models does not wait for it after signing in;
      // the first page of models is requested here, while the page loads
      // and renders, instead of after it has mounted.
      loader: () => {
        const api = apis.get(modelMarketplaceApiRef);
        if (api) {
          preloadFirstPage(api, window.location.search);
        }
        return import(
          /* webpackPrefetch: true */ './components/MarketplaceContent'
        ).then(m => (
          <Content>
            <m.MarketplaceContent />
          </Content>
        ));
      },
    });
  },
});

/** The "Model" tab on Model entities. @alpha */
export const modelEntityContent = EntityContentBlueprint.make({
  name: 'model',
  params: {
    path: 'model',
    title: 'Model',
    filter: entity => isModelEntity(entity),
    loader: () =>
      import('./components/ModelEntityContent').then(m => (
        <m.ModelEntityContent />
      )),
  },
});

/** Scaffolder field `ModelVersionPicker`. @alpha */
export const modelVersionPickerField = FormFieldBlueprint.make({
  name: 'model-version-picker',
  params: {
    field: () =>
      import('./alpha/formFields').then(m => m.modelVersionPickerFormField),
  },
});

/** Scaffolder field `TeamNamespacePicker`. @alpha */
export const teamNamespacePickerField = FormFieldBlueprint.make({
  name: 'team-namespace-picker',
  params: {
    field: () =>
      import('./alpha/formFields').then(m => m.teamNamespacePickerFormField),
  },
});

/** Scaffolder field `DeployTeamPicker`. @alpha */
export const deployTeamPickerField = FormFieldBlueprint.make({
  name: 'deploy-team-picker',
  params: {
    field: () =>
      import('./alpha/formFields').then(m => m.deployTeamPickerFormField),
  },
});

/**
 * The model marketplace: the Models page, the Model tab of Model entities,
 * the API client and the deploy template's form fields.
 *
 * @alpha
 */
export default createFrontendPlugin({
  pluginId: 'model-marketplace',
  title: 'Models',
  icon: <MemoryIcon fontSize="inherit" />,
  routes: convertLegacyRouteRefs({ root: rootRouteRef }),
  externalRoutes: convertLegacyRouteRefs({
    scaffolderTemplate: scaffolderTemplateRouteRef,
  }),
  extensions: [
    modelMarketplaceApi,
    modelMarketplacePage,
    modelEntityContent,
    modelVersionPickerField,
    teamNamespacePickerField,
    deployTeamPickerField,
  ],
});
