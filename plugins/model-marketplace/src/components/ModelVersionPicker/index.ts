export { ModelVersionPicker } from './ModelVersionPicker';
export type { ModelVersionPickerUiOptions } from './ModelVersionPicker';
