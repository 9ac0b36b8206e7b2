import { createApp } from '@backstage/frontend-defaults';
import { navModule } from './modules/nav';
import { signInModule } from './modules/signIn';

/**
 * The portal. Frontend plugins listed in package.json are discovered through
 * `app.packages: all` in app-config.yaml; this file adds the app's own
 * modules (navigation and sign-in).
 */
export default createApp({
  features: [navModule, signInModule],
});
