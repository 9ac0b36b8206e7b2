export { ModelCard } from './ModelCard';
