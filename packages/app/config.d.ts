export interface Config {
  app?: {
    /**
     * The sign-in providers the app's sign-in page offers, in order. Each
     * must also be configured in the backend under `auth.providers`.
     * `guest` and `devUser` sign in without a password and belong only to
     * the local demo (app-config.demo.yaml); a deployment lists a real
     * provider such as `github`. Without this key the page offers nothing
     * and says that no sign-in provider is configured.
     *
     * @visibility frontend
     */
    signInProviders?: Array<'guest' | 'devUser' | 'github'>;
  };
}
