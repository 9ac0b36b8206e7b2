import { createApp } from '@backstage/frontend-defaults';
import modelMarketplacePlugin from '@aic/plugin-model-marketplace/alpha';
import scaffolderPlugin from '@backstage/plugin-scaffolder/alpha';
import { entityPageModule } from './modules/entityPage';
import { navModule } from './modules/nav';
import { signInModule } from './modules/signIn';

/**
 * The portal. Frontend plugins listed in package.json are discovered through
 * `app.packages: all` in app-config.yaml; this file adds the app's own
 * modules (navigation, sign-in and the Model-first entity page) and binds the routes that lead from one
 * plugin into another.
 */
export default createApp({
  features: [navModule, signInModule, entityPageModule],
  bindRoutes({ bind }) {
    // Deploy and Undeploy open the scaffolder's page of the template.
    bind(modelMarketplacePlugin.externalRoutes, {
      scaffolderTemplate: scaffolderPlugin.routes.selectedTemplate,
    });
  },
});
