export { ModelEntityContent } from './ModelEntityContent';
