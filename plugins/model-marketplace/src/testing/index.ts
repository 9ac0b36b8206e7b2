export * from './fakeModelMarketplaceApi';
export * from './setupUser';
