export { TeamNamespacePicker } from './TeamNamespacePicker';
export type { TeamNamespacePickerUiOptions } from './TeamNamespacePicker';
