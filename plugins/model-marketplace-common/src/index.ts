/**
 * Common types for the model marketplace: the Model entity kind, its JSON
 * schema and validator, annotation keys, permissions and REST types.
 *
 * @packageDocumentation
 */

export * from './entity';
export * from './annotations';
export * from './teamNamespaces';
export * from './modelCard';
export * from './api';
export * from './permissions';
export * from './access';
export * from './usage';
