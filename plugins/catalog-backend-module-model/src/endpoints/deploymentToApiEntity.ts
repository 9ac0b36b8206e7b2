import {
  ANNOTATION_DEPLOYMENT_ID,
  ANNOTATION_PROVIDED_BY_MODEL,
  DeploymentRecord,
  LABEL_MODEL,
  ModelEntityV1alpha1,
  MODEL_SERVING_PROTOCOLS,
  ModelServingProtocol,
} from '@aic/plugin-model-marketplace-common';
import {
  ANNOTATION_LOCATION,
  ANNOTATION_ORIGIN_LOCATION,
  ApiEntity,
  stringifyEntityRef,
} from '@backstage/catalog-model';
import { createHash } from 'node:crypto';
import {
  defaultProtocol,
  endpointApiDefinition,
} from './endpointApiDefinition';

/** The location every endpoint API entity is attributed to. */
export const ENDPOINT_API_LOCATION = 'model-marketplace:deployments';

/** Tag on every endpoint API entity, for search and filters. */
export const ENDPOINT_API_TAG = 'model-endpoint';

/**
 * `<workload>-<namespace>-<hash of the deployment id>` (the hash tells the
 * same workload in two clusters apart), cut to the 63 characters of an
 * entity name. Workload and namespace are Kubernetes names already:
 * lower-case letters, digits and dashes.
 */
export function endpointApiName(d: DeploymentRecord): string {
  const hash = createHash('sha256').update(d.id).digest('hex').slice(0, 6);
  const base = `${d.workload}-${d.namespace}`
    .toLowerCase()
    .replace(/[^a-z0-9-]+/g, '-')
    .slice(0, 63 - hash.length - 1)
    .replace(/-+$/, '');
  return `${base}-${hash}`;
}

/**
 * The `API` entity of a Ready deployment endpoint: `spec.type: openapi`
 * with a definition of the protocol the model speaks and the endpoint as
 * its server, owned by the team that deployed it, part of the model's
 * system, provided by the model (annotation
 * `aic.dev/provided-by-model`, turned into relations by the processor).
 */
export function deploymentToApiEntity(
  d: DeploymentRecord & { endpoint: string },
  model: ModelEntityV1alpha1,
): ApiEntity {
  const modelRef = stringifyEntityRef(model);
  const declared = model.spec.serving?.protocol;
  const protocol: ModelServingProtocol =
    declared &&
    (MODEL_SERVING_PROTOCOLS as readonly string[]).includes(declared)
      ? declared
      : defaultProtocol(model.spec.serving?.runtime);
  const modelTitle = model.metadata.title ?? model.metadata.name;
  const title = `${modelTitle} ${d.version} on ${d.cluster}/${d.namespace}`;
  const location = `${ENDPOINT_API_LOCATION}/${d.id}`;
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'API',
    metadata: {
      name: endpointApiName(d),
      namespace: model.metadata.namespace ?? 'default',
      title,
      description: `The ${protocol} endpoint of ${modelTitle} ${d.version}, deployed by ${d.team} in ${d.cluster}/${d.namespace}.`,
      labels: { [LABEL_MODEL]: model.metadata.name.slice(0, 63) },
      annotations: {
        [ANNOTATION_LOCATION]: location,
        [ANNOTATION_ORIGIN_LOCATION]: location,
        [ANNOTATION_PROVIDED_BY_MODEL]: modelRef,
        [ANNOTATION_DEPLOYMENT_ID]: d.id,
      },
      tags: [ENDPOINT_API_TAG, protocol],
      links: [{ url: d.endpoint, title: 'Endpoint' }],
    },
    spec: {
      type: 'openapi',
      lifecycle: model.spec.lifecycle,
      owner: d.team,
      ...(model.spec.system ? { system: model.spec.system } : {}),
      definition: endpointApiDefinition({
        title,
        endpoint: d.endpoint,
        protocol,
        servedModelName: model.metadata.name,
        version: d.version,
      }),
    },
  };
}
