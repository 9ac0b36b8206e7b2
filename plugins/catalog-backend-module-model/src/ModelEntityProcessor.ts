import {
  Entity,
  getCompoundEntityRef,
  parseEntityRef,
  RELATION_DEPENDENCY_OF,
  RELATION_DEPENDS_ON,
  RELATION_HAS_PART,
  RELATION_OWNED_BY,
  RELATION_OWNER_OF,
  RELATION_PART_OF,
} from '@backstage/catalog-model';
import {
  CatalogProcessor,
  CatalogProcessorEmit,
  processingResult,
} from '@backstage/plugin-catalog-node';
import { LocationSpec } from '@backstage/plugin-catalog-common';
import {
  ANNOTATION_KUBERNETES_LABEL_SELECTOR,
  isModelEntity,
  LABEL_MODEL,
  ModelEntity,
  validateModelEntity,
} from '@aic/plugin-model-marketplace-common';

/**
 * Validates entities of kind Model, fills in the default Kubernetes label
 * selector, and emits the model's relations in both directions.
 *
 * @public
 */
export class ModelEntityProcessor implements CatalogProcessor {
  /**
   * @param onProcessed - called with every Model after its relations are
   * emitted (the module announces changes from here)
   */
  constructor(private readonly onProcessed?: (entity: ModelEntity) => void) {}

  getProcessorName(): string {
    return 'ModelEntityProcessor';
  }

  async validateEntityKind(entity: Entity): Promise<boolean> {
    // Throws an InputError naming the field when a Model is malformed; the
    // catalog turns that into a processing error on the entity.
    return validateModelEntity(entity) !== false;
  }

  async preProcessEntity(entity: Entity): Promise<Entity> {
    if (!isModelEntity(entity)) {
      return entity;
    }
    const annotations = entity.metadata.annotations ?? {};
    if (annotations[ANNOTATION_KUBERNETES_LABEL_SELECTOR]) {
      return entity;
    }
    return {
      ...entity,
      metadata: {
        ...entity.metadata,
        annotations: {
          ...annotations,
          [ANNOTATION_KUBERNETES_LABEL_SELECTOR]: `${LABEL_MODEL}=${entity.metadata.name}`,
        },
      },
    };
  }

  async postProcessEntity(
    entity: Entity,
    _location: LocationSpec,
    emit: CatalogProcessorEmit,
  ): Promise<Entity> {
    if (!isModelEntity(entity)) {
      return entity;
    }
    const self = getCompoundEntityRef(entity);
    const defaultNamespace = self.namespace;

    const link = (
      target: string | undefined,
      defaultKind: string,
      forward: string,
      backward: string,
    ) => {
      if (!target) {
        return;
      }
      const other = parseEntityRef(target, { defaultKind, defaultNamespace });
      emit(
        processingResult.relation({
          source: self,
          type: forward,
          target: other,
        }),
      );
      emit(
        processingResult.relation({
          source: other,
          type: backward,
          target: self,
        }),
      );
    };

    const { spec } = entity;
    link(spec.owner, 'group', RELATION_OWNED_BY, RELATION_OWNER_OF);
    link(spec.system, 'system', RELATION_PART_OF, RELATION_HAS_PART);
    link(spec.baseModel, 'model', RELATION_DEPENDS_ON, RELATION_DEPENDENCY_OF);
    for (const dataset of spec.datasets ?? []) {
      link(dataset, 'resource', RELATION_DEPENDS_ON, RELATION_DEPENDENCY_OF);
    }
    this.onProcessed?.(entity);
    return entity;
  }
}
