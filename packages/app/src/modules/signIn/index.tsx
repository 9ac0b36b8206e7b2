import { createFrontendModule } from '@backstage/frontend-plugin-api';
import { SignInPageBlueprint } from '@backstage/plugin-app-react';

const signInPage = SignInPageBlueprint.make({
  params: {
    loader: async () => import('./AppSignInPage').then(m => m.AppSignInPage),
  },
});

/** The app's sign-in page: the providers of app.signInProviders. */
export const signInModule = createFrontendModule({
  pluginId: 'app',
  extensions: [signInPage],
});
