export { ModelUsageCard } from './ModelUsageCard';
