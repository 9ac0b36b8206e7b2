/**
 * Annotation naming a markdown file (relative to the entity's source
 * location, or an absolute URL) that holds the model card.
 *
 * @public
 */
export const ANNOTATION_MODEL_CARD = 'aic.dev/model-card';

/**
 * Annotations the Kubeflow Model Catalog importer sets: the id of the catalog
 * source a model came from and the model's name in that catalog.
 *
 * @public
 */
export const ANNOTATION_KUBEFLOW_SOURCE = 'aic.dev/kubeflow-source';
/** @public */
export const ANNOTATION_KUBEFLOW_MODEL = 'aic.dev/kubeflow-model';

/**
 * Annotation on a Group: the Kubernetes namespaces the group owns, as a
 * comma-separated list of `cluster/namespace` entries.
 *
 * @public
 */
export const ANNOTATION_KUBERNETES_NAMESPACES = 'aic.dev/kubernetes-namespaces';

/** Backstage's own Kubernetes label-selector annotation. @public */
export const ANNOTATION_KUBERNETES_LABEL_SELECTOR =
  'backstage.io/kubernetes-label-selector';

/** Label that marks workloads of a model. @public */
export const LABEL_MODEL = 'aic.dev/model';
/** Label that carries the deployed model version. @public */
export const LABEL_MODEL_VERSION = 'aic.dev/model-version';
/** Label that carries the team a deployment belongs to. @public */
export const LABEL_TEAM = 'aic.dev/team';
/** The standard managed-by label. @public */
export const LABEL_MANAGED_BY = 'app.kubernetes.io/managed-by';
/** The value of the managed-by label on everything this project creates. @public */
export const MANAGED_BY_VALUE = 'model-marketplace';

/**
 * Annotations on the `API` entity the catalog module writes for a Ready
 * deployment endpoint: the model that provides it (an entity ref; the
 * processor turns it into `apiProvidedBy`/`providesApi` relations) and the
 * id of the deployment in the marketplace inventory.
 *
 * @public
 */
export const ANNOTATION_PROVIDED_BY_MODEL = 'aic.dev/provided-by-model';
/** @public */
export const ANNOTATION_DEPLOYMENT_ID = 'aic.dev/deployment-id';
