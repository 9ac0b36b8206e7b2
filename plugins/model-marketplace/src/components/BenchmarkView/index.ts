export { BenchmarkView } from './BenchmarkView';
