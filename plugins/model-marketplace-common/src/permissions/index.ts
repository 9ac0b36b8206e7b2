export * from './permissions';
export * from './conditions';
