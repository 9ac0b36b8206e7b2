import {
  ANNOTATION_LOCATION,
  Entity,
  getCompoundEntityRef,
  isApiEntity,
  parseEntityRef,
  RELATION_API_CONSUMED_BY,
  RELATION_API_PROVIDED_BY,
  RELATION_CONSUMES_API,
  RELATION_PROVIDES_API,
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
import { ENDPOINT_API_LOCATION } from './endpoints/deploymentToApiEntity';
import {
  ANNOTATION_KUBERNETES_LABEL_SELECTOR,
  ANNOTATION_PROVIDED_BY_MODEL,
  isModelEntity,
  LABEL_MODEL,
  ModelEntity,
  validateModelEntity,
} from '@aic/plugin-model-marketplace-common';

/**
 * Validates entities of kind Model, fills in the default Kubernetes label
 * selector, and emits the model's relations in both directions. For the
 * endpoint `API` entities of deployed models (written by
 * `ModelEndpointApiProvider`, nobody else) it emits `apiProvidedBy` /
 * `providesApi` with the model and `apiConsumedBy` / `consumesApi` with the
 * team that deployed it.
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
    if (isApiEntity(entity)) {
      this.emitEndpointRelations(entity, emit);
      return entity;
    }
    if (!isModelEntity(entity)) {
      return entity;
    }
    const link = linker(entity, emit);
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

  private emitEndpointRelations(entity: Entity, emit: CatalogProcessorEmit) {
    const annotations = entity.metadata.annotations ?? {};
    // only the provider's entities: a hand-written API cannot claim a model
    if (
      !annotations[ANNOTATION_LOCATION]?.startsWith(`${ENDPOINT_API_LOCATION}/`)
    ) {
      return;
    }
    const link = linker(entity, emit);
    link(
      annotations[ANNOTATION_PROVIDED_BY_MODEL],
      'model',
      RELATION_API_PROVIDED_BY,
      RELATION_PROVIDES_API,
    );
    link(
      (entity.spec as { owner?: string } | undefined)?.owner,
      'group',
      RELATION_API_CONSUMED_BY,
      RELATION_CONSUMES_API,
    );
  }
}

/**
 * Emits a relation from the entity to a target ref and its reverse; an
 * absent target emits nothing.
 */
function linker(entity: Entity, emit: CatalogProcessorEmit) {
  const self = getCompoundEntityRef(entity);
  return (
    target: string | undefined,
    defaultKind: string,
    forward: string,
    backward: string,
  ) => {
    if (!target) {
      return;
    }
    const other = parseEntityRef(target, {
      defaultKind,
      defaultNamespace: self.namespace,
    });
    emit(
      processingResult.relation({ source: self, type: forward, target: other }),
    );
    emit(
      processingResult.relation({
        source: other,
        type: backward,
        target: self,
      }),
    );
  };
}
