export { ModelCardPanel } from './ModelCardPanel';
export { resolveModelCardUrl } from './resolveModelCardUrl';
