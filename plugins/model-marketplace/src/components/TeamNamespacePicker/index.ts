export { TeamNamespacePicker } from './TeamNamespacePicker';
export { parseTeamNamespaces } from './parseTeamNamespaces';
export type { TeamNamespacePickerUiOptions } from './TeamNamespacePicker';
