import {
  coreServices,
  createBackendModule,
  resolvePackagePath,
} from '@backstage/backend-plugin-api';
import { createPrecompressedStaticMiddleware } from './PrecompressedStaticMiddleware';

/**
 * Serves the app's pre-compressed static files (the `.gz` and `.br` copies
 * written by packages/app/scripts/build.js) ahead of the app backend's own
 * static serving, at `/static` like the app backend. A module of the `app`
 * plugin, so its handler sits on the app plugin's router before the
 * plugin's own; without copies (a plain `backstage-cli package build`)
 * every request falls through unchanged.
 */
export default createBackendModule({
  pluginId: 'app',
  moduleId: 'precompressed-assets',
  register(reg) {
    reg.registerInit({
      deps: {
        config: coreServices.rootConfig,
        httpRouter: coreServices.httpRouter,
      },
      async init({ config, httpRouter }) {
        const appPackageName =
          config.getOptionalString('app.packageName') ?? 'app';
        let staticDir: string;
        try {
          staticDir = resolvePackagePath(appPackageName, 'dist/static');
        } catch {
          return; // no app package to serve: the app backend says so itself
        }
        httpRouter.use(createPrecompressedStaticMiddleware({ staticDir }));
      },
    });
  },
});
