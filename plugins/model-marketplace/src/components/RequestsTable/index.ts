export { RequestsTable } from './RequestsTable';
export type { RequestsTableProps } from './RequestsTable';
