import type { Entity } from '@backstage/catalog-model';

/** The API version of the Model kind. @public */
export const MODEL_API_VERSION = 'aic.dev/v1alpha1';

/** The kind name of the Model kind. @public */
export const MODEL_KIND = 'Model';

/**
 * Known values of `spec.type`. The list is a vocabulary for facets, not a
 * closed set: other values are accepted.
 *
 * @public
 */
export const KNOWN_MODEL_TYPES = [
  'llm',
  'embedding',
  'reranker',
  'vision',
  'speech',
  'multimodal',
  'classifier',
  'regressor',
  'other',
] as const;

/** Access policies a model can declare. @public */
export const MODEL_ACCESS_POLICIES = [
  'open',
  'approval',
  'restricted',
] as const;

/** @public */
export type ModelAccessPolicy = (typeof MODEL_ACCESS_POLICIES)[number];

/** Serving runtimes the deployer knows how to render. @public */
export const MODEL_SERVING_RUNTIMES = [
  'kserve',
  'kserve-llm',
  'vllm',
  'tgi',
  'container',
] as const;

/** @public */
export type ModelServingRuntime = (typeof MODEL_SERVING_RUNTIMES)[number];

/** Wire protocols a served model can speak. @public */
export const MODEL_SERVING_PROTOCOLS = [
  'openai-v1',
  'v2-inference',
  'custom',
] as const;

/** @public */
export type ModelServingProtocol = (typeof MODEL_SERVING_PROTOCOLS)[number];

/** URI schemes accepted for `spec.versions[].artifact`. @public */
export const MODEL_ARTIFACT_SCHEMES = ['hf', 's3', 'gs', 'oci', 'pvc'] as const;

/** One released version of a model. @public */
export type ModelVersion = {
  /** Unique within the model. */
  version: string;
  /** Where the weights live: `hf://`, `s3://`, `gs://`, `oci://` or `pvc://`. */
  artifact: string;
  /** Weight format, for example `safetensors`, `onnx`, `gguf`. */
  format?: string;
  /** When the version was produced (ISO 8601 date). */
  created?: string;
  /** At most one version is the default. */
  default?: boolean;
  /** Evaluation metrics, name to number. */
  metrics?: Record<string, number>;
};

/** Directions a metric can improve in. @public */
export const MODEL_METRIC_DIRECTIONS = ['higher', 'lower'] as const;

/** @public */
export type ModelMetricDirection = (typeof MODEL_METRIC_DIRECTIONS)[number];

/**
 * How to read one metric of `spec.versions[].metrics`, after Hugging Face
 * `model-index` results and Kubeflow accuracy/performance metrics.
 *
 * @public
 */
export type ModelMetricDefinition = {
  /** The key used in `spec.versions[].metrics`. */
  name: string;
  displayName?: string;
  /** Whether a higher or a lower value is better; without it nothing is ranked. */
  direction?: ModelMetricDirection;
  unit?: string;
  dataset?: string;
  description?: string;
};

/** What the model's metrics mean. @public */
export type ModelEvaluation = {
  metrics?: ModelMetricDefinition[];
};

/** Kinds of question a model's owners may ask requesters. @public */
export const MODEL_ACCESS_QUESTION_TYPES = [
  'text',
  'select',
  'checkbox',
] as const;

/** @public */
export type ModelAccessQuestionType =
  (typeof MODEL_ACCESS_QUESTION_TYPES)[number];

/**
 * An extra question of the request dialog, like the fields of a Hugging
 * Face gated model: a text, a choice among options, or a checkbox such as
 * "I accept the licence".
 *
 * @public
 */
export type ModelAccessQuestion = {
  /** Key of the answer; letters, digits, `-` and `_`, unique per model. */
  id: string;
  /** What the dialog shows. */
  label: string;
  type: ModelAccessQuestionType;
  /** With type `select`: the values to choose from. */
  options?: string[];
  /** Text and select need an answer; a checkbox must be ticked. */
  required?: boolean;
  /** A hint shown under the field. */
  help?: string;
};

/** Who may use a model and who approves requests. @public */
export type ModelAccess = {
  policy: ModelAccessPolicy;
  /** Entity refs of groups or users that approve; defaults to the owner. */
  approvers?: string[];
  /** With policy `restricted`: the groups that may request the model. */
  allowedGroups?: string[];
  termsUrl?: string;
  /** Extra questions requesters answer; the answers are kept with the request. */
  questions?: ModelAccessQuestion[];
};

/** Compute resources for one replica. @public */
export type ModelServingResources = {
  cpu?: string | number;
  memory?: string;
  gpu?: number;
};

/** How the model is served when deployed. @public */
export type ModelServing = {
  runtime: ModelServingRuntime;
  image?: string;
  args?: string[];
  port?: number;
  protocol?: ModelServingProtocol;
  /** KServe model format name, for example `huggingface` or `sklearn`. */
  modelFormat?: string;
  resources?: ModelServingResources;
  replicas?: { min?: number; max?: number };
};

/**
 * A machine-learning model declared in the catalog.
 *
 * @public
 */
export interface ModelEntityV1alpha1 extends Entity {
  apiVersion: typeof MODEL_API_VERSION;
  kind: typeof MODEL_KIND;
  spec: {
    type: string;
    lifecycle: string;
    owner: string;
    system?: string;
    task?: string;
    framework?: string;
    parameters?: string;
    languages?: string[];
    license?: string;
    licenseUrl?: string;
    baseModel?: string;
    datasets?: string[];
    versions: ModelVersion[];
    evaluation?: ModelEvaluation;
    access?: ModelAccess;
    serving?: ModelServing;
  };
}

/** Alias of the current version of the Model entity. @public */
export type ModelEntity = ModelEntityV1alpha1;
