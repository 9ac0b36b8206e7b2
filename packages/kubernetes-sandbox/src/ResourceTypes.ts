/** A kind of object the sandbox serves. */
export interface ResourceType {
  /** API group, '' for the core group. */
  group: string;
  version: string;
  /** Plural resource name used in URLs, e.g. 'deployments'. */
  plural: string;
  singular: string;
  kind: string;
  namespaced: boolean;
  shortNames: string[];
  /** Whether `<plural>/status` is served. */
  hasStatus: boolean;
  /** Whether changes to this kind are rolled out by the simulated controller. */
  workload: boolean;
  categories?: string[];
}

/** The apiVersion string of a resource type, e.g. 'apps/v1' or 'v1'. */
export function apiVersionOf(type: ResourceType): string {
  return type.group ? `${type.group}/${type.version}` : type.version;
}

/** Every kind the sandbox knows. */
export const RESOURCE_TYPES: ResourceType[] = [
  {
    group: '',
    version: 'v1',
    plural: 'namespaces',
    singular: 'namespace',
    kind: 'Namespace',
    namespaced: false,
    shortNames: ['ns'],
    hasStatus: true,
    workload: false,
  },
  {
    group: '',
    version: 'v1',
    plural: 'services',
    singular: 'service',
    kind: 'Service',
    namespaced: true,
    shortNames: ['svc'],
    hasStatus: true,
    workload: false,
    categories: ['all'],
  },
  {
    group: 'apps',
    version: 'v1',
    plural: 'deployments',
    singular: 'deployment',
    kind: 'Deployment',
    namespaced: true,
    shortNames: ['deploy'],
    hasStatus: true,
    workload: true,
    categories: ['all'],
  },
  {
    group: 'serving.kserve.io',
    version: 'v1beta1',
    plural: 'inferenceservices',
    singular: 'inferenceservice',
    kind: 'InferenceService',
    namespaced: true,
    shortNames: ['isvc'],
    hasStatus: true,
    workload: true,
  },
];

/** Finds a type by group, version and plural name. */
export function findResourceType(
  group: string,
  version: string,
  plural: string,
): ResourceType | undefined {
  return RESOURCE_TYPES.find(
    t => t.group === group && t.version === version && t.plural === plural,
  );
}

/** Finds a type by apiVersion and kind. */
export function findResourceTypeByKind(
  apiVersion: string,
  kind: string,
): ResourceType | undefined {
  return RESOURCE_TYPES.find(
    t => apiVersionOf(t) === apiVersion && t.kind === kind,
  );
}
