export { RequestStatusChip } from './RequestStatusChip';
