export * from './fakeModelMarketplaceApi';
