export { VersionMetricsChart } from './VersionMetricsChart';
