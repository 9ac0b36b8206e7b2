export { WordSafeTableHead } from './WordSafeTableHead';
export { WordSafeTable } from './WordSafeTable';
