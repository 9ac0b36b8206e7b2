export { MarketplaceContent } from './MarketplaceContent';
