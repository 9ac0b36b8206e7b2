import { ProxiedSignInPage, SignInPage } from '@backstage/core-components';
import { configApiRef, useApi } from '@backstage/core-plugin-api';
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

/**
 * Guest sign-in for the local demo. In development, `?as=<user name>` signs
 * in as that catalog user through the backend's `devUser` provider instead,
 * so one browser can act as a requester and then as an approver.
 */
export function AppSignInPage(props: SignInPageProps) {
  const configApi = useApi(configApiRef);
  const development =
    (configApi.getOptionalString('auth.environment') ?? 'development') ===
    'development';
  const devUser = development
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
  return (
    <SignInPage
      {...props}
      auto
      providers={['guest']}
      title="AI Model Marketplace"
    />
  );
}
