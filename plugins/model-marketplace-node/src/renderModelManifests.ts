import {
  DeploymentObjectRef,
  LABEL_MANAGED_BY,
  LABEL_MODEL,
  LABEL_MODEL_VERSION,
  LABEL_TEAM,
  MANAGED_BY_VALUE,
  ModelEntityV1alpha1,
  ModelServing,
  ModelServingRuntime,
  ModelVersion,
} from '@aic/plugin-model-marketplace-common';
import { InputError } from '@backstage/errors';
import { deploymentName, labelValue } from './deploymentName';
import { KubernetesManifest, refOf } from './types';
import { renderLlmInferenceService } from './renderLlmInferenceService';
import { servingResources } from './servingResources';

/** @public */
export type RenderModelManifestsOptions = {
  model: ModelEntityV1alpha1;
  /** The version to deploy; the model's default version when absent. */
  version?: string;
  /** The team's group name or entity ref. */
  team: string;
  namespace: string;
  /** Replica count; the model's `serving.replicas.min` (at least 1) when absent. */
  replicas?: number;
};

/** What the deployer applies for one model version. @public */
export type RenderedModelDeployment = {
  name: string;
  namespace: string;
  model: string;
  version: string;
  runtime: ModelServingRuntime;
  port: number;
  objects: KubernetesManifest[];
  /** The object whose readiness is the deployment's readiness. */
  workload: DeploymentObjectRef;
  /**
   * The in-cluster endpoint, known up front for Deployment runtimes; for
   * KServe it is read from the (LLM)InferenceService status once ready.
   */
  endpoint?: string;
};

const DEFAULT_PORTS: Record<ModelServingRuntime, number> = {
  kserve: 8080,
  // KServe's vLLM-based LLM server listens on 8000
  'kserve-llm': 8000,
  vllm: 8000,
  tgi: 80,
  container: 8080,
};

/** Where artifacts mounted from a PVC appear inside the container. */
const MODEL_MOUNT = '/mnt/models';

/**
 * Picks the requested version of a model, or its default one.
 *
 * @public
 */
export function resolveModelVersion(
  model: ModelEntityV1alpha1,
  version?: string,
): ModelVersion {
  const versions = model.spec.versions ?? [];
  if (version) {
    const found = versions.find(v => v.version === version);
    if (!found) {
      throw new InputError(
        `Model '${
          model.metadata.name
        }' has no version '${version}'; known versions: ${versions
          .map(v => v.version)
          .join(', ')}`,
      );
    }
    return found;
  }
  const chosen = versions.find(v => v.default) ?? versions[0];
  if (!chosen) {
    throw new InputError(`Model '${model.metadata.name}' has no versions`);
  }
  return chosen;
}

function teamName(team: string): string {
  const withoutKind = team.includes(':') ? team.split(':')[1] : team;
  return withoutKind.includes('/') ? withoutKind.split('/')[1] : withoutKind;
}

/** `pvc://claim/path` → the claim and the path inside it. */
function parsePvc(
  artifact: string,
): { claim: string; path: string } | undefined {
  const m = /^pvc:\/\/([^/]+)\/?(.*)$/.exec(artifact);
  return m ? { claim: m[1], path: m[2] } : undefined;
}

/**
 * What a runtime's server is told to load: the Hugging Face repo id for
 * `hf://` artifacts, the mounted path for `pvc://`, the URI otherwise (the
 * image is expected to fetch it from `MODEL_URI`).
 */
function modelLocation(artifact: string): string {
  if (artifact.startsWith('hf://')) {
    return artifact.slice('hf://'.length);
  }
  const pvc = parsePvc(artifact);
  if (pvc) {
    return pvc.path ? `${MODEL_MOUNT}/${pvc.path}` : MODEL_MOUNT;
  }
  return artifact;
}

function runtimeArgs(
  runtime: ModelServingRuntime,
  serving: ModelServing,
  artifact: string,
  modelName: string,
  port: number,
): string[] {
  const extra = serving.args ?? [];
  switch (runtime) {
    case 'vllm':
      return [
        `--model=${modelLocation(artifact)}`,
        `--served-model-name=${modelName}`,
        `--port=${port}`,
        ...extra,
      ];
    case 'tgi':
      return [
        `--model-id=${modelLocation(artifact)}`,
        `--port=${port}`,
        ...extra,
      ];
    default:
      return extra;
  }
}

function defaultReplicas(serving: ModelServing, replicas?: number): number {
  if (replicas !== undefined) {
    return replicas;
  }
  return Math.max(1, serving.replicas?.min ?? 1);
}

/**
 * Renders the Kubernetes objects that serve one version of a model in a
 * team namespace: an InferenceService for `kserve`, an LLMInferenceService
 * for `kserve-llm`, a Deployment and a Service for the other runtimes.
 *
 * @public
 */
export function renderModelManifests(
  options: RenderModelManifestsOptions,
): RenderedModelDeployment {
  const { model, namespace } = options;
  const serving = model.spec.serving;
  if (!serving?.runtime) {
    throw new InputError(
      `Model '${model.metadata.name}' has no spec.serving.runtime and cannot be deployed`,
    );
  }
  const runtime = serving.runtime;
  if (!(runtime in DEFAULT_PORTS)) {
    throw new InputError(
      `Model '${model.metadata.name}' uses unknown runtime '${runtime}'`,
    );
  }
  if (
    options.replicas !== undefined &&
    (!Number.isInteger(options.replicas) || options.replicas < 0)
  ) {
    throw new InputError(`replicas must be a non-negative integer`);
  }
  const version = resolveModelVersion(model, options.version);
  const name = deploymentName(model.metadata.name, version.version);
  const port = serving.port ?? DEFAULT_PORTS[runtime];
  const team = teamName(options.team);
  const labels: Record<string, string> = {
    [LABEL_MANAGED_BY]: MANAGED_BY_VALUE,
    'app.kubernetes.io/name': labelValue(model.metadata.name),
    'app.kubernetes.io/instance': name,
    [LABEL_MODEL]: labelValue(model.metadata.name),
    [LABEL_MODEL_VERSION]: labelValue(version.version),
    [LABEL_TEAM]: labelValue(team),
  };
  const metadata = { name, namespace, labels };
  const base = {
    name,
    namespace,
    model: model.metadata.name,
    version: version.version,
    runtime,
    port,
  };

  if (runtime === 'kserve') {
    const replicas = defaultReplicas(serving, options.replicas);
    const maxReplicas = Math.max(replicas, serving.replicas?.max ?? replicas);
    const isvc: KubernetesManifest = {
      apiVersion: 'serving.kserve.io/v1beta1',
      kind: 'InferenceService',
      metadata,
      spec: {
        predictor: {
          minReplicas: replicas,
          maxReplicas,
          labels: { ...labels },
          model: {
            modelFormat: { name: serving.modelFormat ?? 'huggingface' },
            storageUri: version.artifact,
            ...(serving.args?.length ? { args: [...serving.args] } : {}),
            resources: servingResources(serving),
          },
        },
      },
    };
    return { ...base, objects: [isvc], workload: refOf(isvc) };
  }

  if (runtime === 'kserve-llm') {
    const llmisvc = renderLlmInferenceService({
      metadata,
      serving,
      artifact: version.artifact,
      servedModelName: model.metadata.name,
      replicas: defaultReplicas(serving, options.replicas),
    });
    return { ...base, objects: [llmisvc], workload: refOf(llmisvc) };
  }

  if (!serving.image) {
    throw new InputError(
      `Model '${model.metadata.name}' uses runtime '${runtime}' but has no spec.serving.image`,
    );
  }
  const replicas = defaultReplicas(serving, options.replicas);
  const selector = {
    'app.kubernetes.io/name': labels['app.kubernetes.io/name'],
    'app.kubernetes.io/instance': name,
  };
  const pvc = parsePvc(version.artifact);
  const probe =
    runtime === 'container'
      ? { tcpSocket: { port } }
      : { httpGet: { path: '/health', port } };
  const args = runtimeArgs(
    runtime,
    serving,
    version.artifact,
    model.metadata.name,
    port,
  );
  const container: Record<string, any> = {
    name: 'model',
    image: serving.image,
    ...(args.length ? { args } : {}),
    env: [{ name: 'MODEL_URI', value: version.artifact }],
    ports: [{ name: 'http', containerPort: port, protocol: 'TCP' }],
    resources: servingResources(serving),
    readinessProbe: {
      ...probe,
      initialDelaySeconds: 10,
      periodSeconds: 10,
      failureThreshold: 3,
    },
  };
  if (pvc) {
    container.volumeMounts = [
      { name: 'model', mountPath: MODEL_MOUNT, readOnly: true },
    ];
  }
  const deployment: KubernetesManifest = {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata,
    spec: {
      replicas,
      selector: { matchLabels: selector },
      template: {
        metadata: { labels: { ...labels } },
        spec: {
          containers: [container],
          ...(pvc
            ? {
                volumes: [
                  {
                    name: 'model',
                    persistentVolumeClaim: {
                      claimName: pvc.claim,
                      readOnly: true,
                    },
                  },
                ],
              }
            : {}),
        },
      },
    },
  };
  const service: KubernetesManifest = {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name, namespace, labels: { ...labels } },
    spec: {
      type: 'ClusterIP',
      selector,
      ports: [{ name: 'http', port, targetPort: port, protocol: 'TCP' }],
    },
  };
  return {
    ...base,
    objects: [deployment, service],
    workload: refOf(deployment),
    endpoint: `http://${name}.${namespace}.svc.cluster.local:${port}`,
  };
}
