export { ModelBrowser } from './ModelBrowser';
