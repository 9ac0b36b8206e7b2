/**
 * Catalog backend module for the Model entity kind.
 *
 * @packageDocumentation
 */

export { catalogModuleModelEntity as default } from './module';
export { ModelEntityProcessor } from './ModelEntityProcessor';
