export * from './deployments';
