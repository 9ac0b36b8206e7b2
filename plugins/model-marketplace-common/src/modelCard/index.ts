export { splitFrontMatter } from './splitFrontMatter';
