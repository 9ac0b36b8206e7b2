import { createApp } from '@backstage/frontend-defaults';
import modelMarketplacePlugin from '@aic/plugin-model-marketplace/alpha';
import scaffolderPlugin from '@backstage/plugin-scaffolder/alpha';
import { navModule } from './modules/nav';
import { signInModule } from './modules/signIn';

/**
 * The portal. Frontend plugins listed in package.json are discovered through
 * `app.packages: all` in app-config.yaml; this file adds the app's own
 * modules (navigation and sign-in) and binds the routes that lead from one
 * plugin into another.
 */
export default createApp({
  features: [navModule, signInModule],
  bindRoutes({ bind }) {
    // Deploy and Undeploy open the scaffolder's page of the template.
    bind(modelMarketplacePlugin.externalRoutes, {
      scaffolderTemplate: scaffolderPlugin.routes.selectedTemplate,
    });
  },
});
