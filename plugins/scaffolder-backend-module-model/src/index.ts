/**
 * Scaffolder actions `model:deploy` and `model:undeploy` for the model
 * marketplace.
 *
 * @packageDocumentation
 */

export { scaffolderModuleModel as default } from './module';
export {
  createDeployModelAction,
  type ModelActionOptions,
} from './actions/createDeployModelAction';
export { createUndeployModelAction } from './actions/createUndeployModelAction';
export type {
  DeploymentRecorder,
  ApprovalChecker,
  RevokedRequest,
} from './MarketplaceGateway';
