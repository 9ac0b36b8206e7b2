/**
 * The model marketplace frontend plugin: a marketplace page to browse,
 * compare and request AI models, the "Model" tab of Model entities, and
 * scaffolder fields for the deploy template.
 *
 * This entry point is for the legacy frontend system; the new frontend
 * system uses `@aic/plugin-model-marketplace/alpha`.
 *
 * @packageDocumentation
 */
export {
  modelMarketplacePlugin,
  ModelMarketplacePage,
  EntityModelContent,
  ModelVersionPickerFieldExtension,
  TeamNamespacePickerFieldExtension,
  DeployTeamPickerFieldExtension,
} from './plugin';
export { modelMarketplaceApiRef } from './api';
export type { ModelMarketplaceApi } from './api';
export { isModelEntity } from '@aic/plugin-model-marketplace-common';
export type { ModelVersionPickerUiOptions } from './components/ModelVersionPicker';
export type { TeamNamespacePickerUiOptions } from './components/TeamNamespacePicker';
export type { DeployTeamPickerUiOptions } from './components/DeployTeamPicker';
