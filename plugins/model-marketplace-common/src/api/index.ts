export * from './deployments';
export * from './listDeployments';
export * from './metrics';
export * from './models';
export * from './requests';
export type {
  ModelMarketplaceApi,
  ModelMarketplaceRequestOptions,
} from './ModelMarketplaceApi';
export {
  ModelMarketplaceClient,
  MODEL_MARKETPLACE_PLUGIN_ID,
} from './ModelMarketplaceClient';
export * from './usage';
