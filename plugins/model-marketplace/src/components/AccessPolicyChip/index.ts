export { AccessPolicyChip } from './AccessPolicyChip';
