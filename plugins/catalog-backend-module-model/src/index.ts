/**
 * Catalog backend module for the Model entity kind: validation and
 * relations, model cards as entities, and Kubeflow Model Catalog sources.
 *
 * @packageDocumentation
 */

export { catalogModuleModelEntity as default } from './module';
export { ModelEntityProcessor } from './ModelEntityProcessor';
export { ModelCardProcessor } from './modelcard/ModelCardProcessor';
export {
  KubeflowModelCatalogProvider,
  type KubeflowRefreshResult,
} from './kubeflow/KubeflowModelCatalogProvider';
