export { DeployTeamPicker } from './DeployTeamPicker';
export type { DeployTeamPickerUiOptions } from './DeployTeamPicker';
