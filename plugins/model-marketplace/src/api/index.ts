export { modelMarketplaceApiRef } from './modelMarketplaceApiRef';
export type { ModelMarketplaceApi } from './modelMarketplaceApiRef';
