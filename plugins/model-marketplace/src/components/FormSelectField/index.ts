export { FormSelectField, formFieldValue } from './FormSelectField';
export type { FormSelectOption } from './FormSelectField';
