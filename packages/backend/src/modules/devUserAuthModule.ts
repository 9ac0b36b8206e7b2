import {
  coreServices,
  createBackendModule,
} from '@backstage/backend-plugin-api';
import {
  authProvidersExtensionPoint,
  createProxyAuthenticator,
  createProxyAuthProviderFactory,
} from '@backstage/plugin-auth-node';
import { AuthenticationError } from '@backstage/errors';

/** The request header that names the example user to sign in as. */
export const DEV_USER_HEADER = 'x-aic-dev-user';

/**
 * A development-only sign-in provider (`auth.providers.devUser`) that signs
 * in as an arbitrary User entity of the catalog, named by a request header. It lets a
 * person (or the end-to-end test) act as a requester and then as an approver.
 * It refuses to start when NODE_ENV is production.
 */
export default createBackendModule({
  pluginId: 'auth',
  moduleId: 'dev-user-provider',
  register(reg) {
    reg.registerInit({
      deps: {
        providers: authProvidersExtensionPoint,
        config: coreServices.rootConfig,
        logger: coreServices.logger,
      },
      async init({ providers, config, logger }) {
        if (!config.has('auth.providers.devUser')) {
          return;
        }
        if (process.env.NODE_ENV === 'production') {
          throw new Error(
            'auth.providers.devUser signs in without a password and is for local development only; remove it from the production configuration',
          );
        }
        logger.warn(
          'Development sign-in as an arbitrary catalog user is enabled (auth.providers.devUser)',
        );
        providers.registerProvider({
          providerId: 'devUser',
          factory: createProxyAuthProviderFactory({
            authenticator: createProxyAuthenticator({
              defaultProfileTransform: async (result: {
                userName: string;
              }) => ({
                profile: { displayName: result.userName },
              }),
              initialize: () => undefined,
              async authenticate({ req }) {
                const userName = req.header(DEV_USER_HEADER);
                if (!userName || !/^[a-zA-Z0-9._-]{1,63}$/.test(userName)) {
                  throw new AuthenticationError(
                    `Missing or malformed ${DEV_USER_HEADER} header; expected the name of a User entity`,
                  );
                }
                return { result: { userName } };
              },
            }),
            signInResolver: async ({ result }, ctx) =>
              ctx.signInWithCatalogUser({
                entityRef: { name: result.userName },
              }),
          }),
        });
      },
    });
  },
});
