export { WordSafeTableHead } from './WordSafeTableHead';
