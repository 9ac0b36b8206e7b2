import type {
  AuthService,
  BackstageCredentials,
  DiscoveryService,
} from '@backstage/backend-plugin-api';
import type { CatalogService } from '@backstage/plugin-catalog-node';
import {
  MODEL_MARKETPLACE_PLUGIN_ID,
  ModelMarketplaceClient,
  type ModelMarketplaceApi,
} from '@aic/plugin-model-marketplace-common';
import { asCallerError } from './asCallerError';
import { ScaffolderTasks } from './ScaffolderTasks';

/**
 * The APIs an action calls, each as the caller. Actions never read the
 * stores or the clusters themselves: they call the marketplace's REST API,
 * the scaffolder and the catalog with a token issued on behalf of the
 * caller's credentials, so validation, permissions, separation of duties
 * and the auditor are the REST API's own, and there is no path around them.
 */
export class CallerApis {
  readonly marketplace: ModelMarketplaceApi;
  readonly scaffolder: ScaffolderTasks;
  readonly catalog: CatalogService;
  private readonly auth: AuthService;

  constructor(options: {
    auth: AuthService;
    discovery: DiscoveryService;
    catalog: CatalogService;
  }) {
    this.auth = options.auth;
    this.catalog = options.catalog;
    this.marketplace = new ModelMarketplaceClient({
      discoveryApi: options.discovery,
    });
    this.scaffolder = new ScaffolderTasks(options.discovery);
  }

  /** The caller's user entity ref, or undefined for a service caller. */
  userRefOf(credentials: BackstageCredentials): string | undefined {
    return this.auth.isPrincipal(credentials, 'user')
      ? credentials.principal.userEntityRef
      : undefined;
  }

  /** A token for `targetPluginId` that carries the caller's identity. */
  async tokenFor(
    credentials: BackstageCredentials,
    targetPluginId: string,
  ): Promise<string> {
    const { token } = await this.auth.getPluginRequestToken({
      onBehalfOf: credentials,
      targetPluginId,
    });
    return token;
  }

  /**
   * Runs `fn` with a marketplace token of the caller; a failed call becomes
   * the REST API's own error (same kind, same message), prefixed by `what`.
   */
  async asCaller<T>(
    credentials: BackstageCredentials,
    what: string,
    fn: (options: { token: string }) => Promise<T>,
  ): Promise<T> {
    const token = await this.tokenFor(credentials, MODEL_MARKETPLACE_PLUGIN_ID);
    try {
      return await fn({ token });
    } catch (error) {
      throw asCallerError(error, what);
    }
  }
}
