import {
  Content,
  ErrorPanel,
  Page,
  ProxiedSignInPage,
  SignInPage,
  type SignInProviderConfig,
} from '@backstage/core-components';
import {
  configApiRef,
  githubAuthApiRef,
  useApi,
} from '@backstage/core-plugin-api';
import type { SignInPageProps } from '@backstage/plugin-app-react';

/** Where the chosen example user is remembered between page loads. */
export const DEV_USER_STORAGE_KEY = 'aic.devUser';

/**
 * Reads `?as=<user>` from the address (development only) and remembers it;
 * `?as=` (empty) forgets it and returns to the guest sign-in.
 */
export function chosenDevUser(search: string, storage: Storage) {
  const requested = new URLSearchParams(search).get('as');
  if (requested !== null) {
    if (requested) {
      storage.setItem(DEV_USER_STORAGE_KEY, requested);
    } else {
      storage.removeItem(DEV_USER_STORAGE_KEY);
    }
  }
  return storage.getItem(DEV_USER_STORAGE_KEY) ?? undefined;
}

const githubProvider: SignInProviderConfig = {
  id: 'github-auth-provider',
  title: 'GitHub',
  message: 'Sign in with your GitHub account',
  apiRef: githubAuthApiRef,
};

/**
 * What the sign-in page offers, from `app.signInProviders`: only providers
 * named there, so a deployment without `guest` in its configuration never
 * shows a guest button. `devUser` (the demo's `?as=` sign-in) is offered
 * only in the development auth environment.
 */
export function signInOptions(
  configured: string[],
  authEnvironment: string,
): { providers: Array<'guest' | SignInProviderConfig>; devUser: boolean } {
  const providers: Array<'guest' | SignInProviderConfig> = [];
  for (const id of configured) {
    if (id === 'guest') {
      providers.push('guest');
    } else if (id === 'github') {
      providers.push(githubProvider);
    }
  }
  return {
    providers,
    devUser:
      configured.includes('devUser') && authEnvironment === 'development',
  };
}

/**
 * The app's sign-in page. It offers the providers of `app.signInProviders`
 * (the demo: guest; a deployment: e.g. GitHub). In the demo, `?as=<user
 * name>` signs in as that catalog user through the backend's `devUser`
 * provider, so one browser can act as a requester and then as an approver.
 */
export function AppSignInPage(props: SignInPageProps) {
  const configApi = useApi(configApiRef);
  const options = signInOptions(
    configApi.getOptionalStringArray('app.signInProviders') ?? [],
    configApi.getOptionalString('auth.environment') ?? 'development',
  );
  const devUser = options.devUser
    ? chosenDevUser(window.location.search, window.localStorage)
    : undefined;

  if (devUser) {
    return (
      <ProxiedSignInPage
        {...props}
        provider="devUser"
        headers={{ 'x-aic-dev-user': devUser }}
      />
    );
  }
  if (!options.providers.length) {
    return (
      <Page themeId="home">
        <Content>
          <ErrorPanel
            title="No sign-in provider is configured"
            error={
              new Error(
                'List the providers this app offers in app.signInProviders and configure them under auth.providers.',
              )
            }
          />
        </Content>
      </Page>
    );
  }
  return (
    <SignInPage
      {...props}
      auto
      providers={options.providers}
      title="AI Model Marketplace"
    />
  );
}
