import type { ModelServing } from '@aic/plugin-model-marketplace-common';
import { servingResources } from './servingResources';
import { KubernetesManifest } from './types';

/** The API version of KServe's LLMInferenceService served by KServe v0.16. */
export const LLM_INFERENCE_SERVICE_API_VERSION = 'serving.kserve.io/v1alpha1';

/**
 * Renders a KServe `LLMInferenceService` (`serving.kserve.io/v1alpha1`) for
 * one model version: `spec.model.uri` is the version's artifact and
 * `spec.model.name` the name clients send in OpenAI-compatible requests;
 * `spec.replicas` the replica count; the serving container (`main`, the
 * name KServe's presets merge into) carries the image when the model names
 * one, the extra arguments and the resources. Everything else (router,
 * scheduler, the vLLM image) comes from KServe's well-known presets.
 */
export function renderLlmInferenceService(options: {
  metadata: {
    name: string;
    namespace: string;
    labels: Record<string, string>;
  };
  serving: ModelServing;
  artifact: string;
  servedModelName: string;
  replicas: number;
}): KubernetesManifest {
  const { metadata, serving } = options;
  const container: Record<string, unknown> = {
    name: 'main',
    ...(serving.image ? { image: serving.image } : {}),
    ...(serving.args?.length ? { args: [...serving.args] } : {}),
    resources: servingResources(serving),
  };
  return {
    apiVersion: LLM_INFERENCE_SERVICE_API_VERSION,
    kind: 'LLMInferenceService',
    metadata: { ...metadata, labels: { ...metadata.labels } },
    spec: {
      model: { uri: options.artifact, name: options.servedModelName },
      replicas: options.replicas,
      // a PodSpec (no metadata of its own): KServe labels the pods itself
      template: { containers: [container] },
    },
  };
}
