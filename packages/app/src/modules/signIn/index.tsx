import { createFrontendModule } from '@backstage/frontend-plugin-api';
import { SignInPageBlueprint } from '@backstage/plugin-app-react';
import { AppSignInPage } from './AppSignInPage';

// Every page load renders the sign-in page first (a returning user's session
// is refreshed by it), so it is part of the initial bundle: loading it lazily
// put one more request in series before anything else could start.
const signInPage = SignInPageBlueprint.make({
  params: {
    loader: async () => AppSignInPage,
  },
});

/** The app's sign-in page: the providers of app.signInProviders. */
export const signInModule = createFrontendModule({
  pluginId: 'app',
  extensions: [signInPage],
});
