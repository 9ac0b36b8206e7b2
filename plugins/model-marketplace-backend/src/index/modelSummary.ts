import {
  DEFAULT_NAMESPACE,
  parseEntityRef,
  stringifyEntityRef,
} from '@backstage/catalog-model';
import {
  modelAccessPolicy,
  type ModelEntity,
  type ModelSummary,
} from '@aic/plugin-model-marketplace-common';

const DESCRIPTION_LIMIT = 200;

/** Normalises an owner or group reference to a full entity ref (default kind group). */
export function toGroupRef(ref: string, namespace = DEFAULT_NAMESPACE): string {
  return stringifyEntityRef(
    parseEntityRef(ref, { defaultKind: 'group', defaultNamespace: namespace }),
  );
}

/** The compact form of a model listed by `GET /models`. */
export function toModelSummary(entity: ModelEntity): ModelSummary {
  const namespace = entity.metadata.namespace ?? DEFAULT_NAMESPACE;
  const { spec } = entity;
  const description = entity.metadata.description?.trim();
  const defaultVersion =
    spec.versions.find(v => v.default)?.version ?? spec.versions[0]?.version;
  return {
    ref: stringifyEntityRef({
      kind: 'model',
      namespace,
      name: entity.metadata.name,
    }),
    name: entity.metadata.name,
    namespace,
    ...(entity.metadata.title ? { title: entity.metadata.title } : {}),
    ...(description
      ? {
          description:
            description.length > DESCRIPTION_LIMIT
              ? `${description.slice(0, DESCRIPTION_LIMIT - 1).trimEnd()}…`
              : description,
        }
      : {}),
    type: spec.type,
    ...(spec.task ? { task: spec.task } : {}),
    owner: toGroupRef(spec.owner, namespace),
    ...(spec.license ? { license: spec.license } : {}),
    lifecycle: spec.lifecycle,
    ...(spec.framework ? { framework: spec.framework } : {}),
    ...(spec.parameters ? { parameters: spec.parameters } : {}),
    tags: entity.metadata.tags ?? [],
    accessPolicy: modelAccessPolicy(entity),
    ...(spec.serving?.runtime ? { runtime: spec.serving.runtime } : {}),
    ...(defaultVersion ? { defaultVersion } : {}),
  };
}

/**
 * The approvers of a model: `spec.access.approvers` (a bare name is a group),
 * else the owner.
 */
export function modelApprovers(entity: ModelEntity): string[] {
  const namespace = entity.metadata.namespace ?? DEFAULT_NAMESPACE;
  const approvers = entity.spec.access?.approvers?.length
    ? entity.spec.access.approvers
    : [entity.spec.owner];
  return [...new Set(approvers.map(a => toGroupRef(a, namespace)))];
}
