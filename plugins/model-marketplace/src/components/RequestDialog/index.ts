export { RequestDialog, validateRequestForm } from './RequestDialog';
export type { RequestDialogProps } from './RequestDialog';
