import { createApiRef } from '@backstage/core-plugin-api';
import type { ModelMarketplaceApi } from '@aic/plugin-model-marketplace-common';

export type { ModelMarketplaceApi } from '@aic/plugin-model-marketplace-common';

/**
 * The API the marketplace components talk to: the REST API of the
 * `model-marketplace` backend. The default implementation is the
 * `ModelMarketplaceClient` from `@aic/plugin-model-marketplace-common`.
 *
 * @public
 */
export const modelMarketplaceApiRef = createApiRef<ModelMarketplaceApi>({
  id: 'plugin.model-marketplace.service',
});
