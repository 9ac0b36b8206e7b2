export { FacetFilters, FACET_LABELS } from './FacetFilters';
