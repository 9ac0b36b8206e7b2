export { AccessListExportButtons } from './AccessListExportButtons';
