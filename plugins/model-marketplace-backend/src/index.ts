/**
 * The model marketplace backend plugin: browse index, request workflow,
 * deployments inventory and REST API.
 *
 * @packageDocumentation
 */

export { modelMarketplacePlugin as default } from './plugin';
