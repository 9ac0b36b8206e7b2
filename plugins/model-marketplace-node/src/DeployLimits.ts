import type { Config } from '@backstage/config';
import { InputError } from '@backstage/errors';
import { parseCpuQuantity, parseMemoryQuantity } from './quantities';
import { KubernetesManifest, describeRef, refOf } from './types';

/**
 * Operator limits on what a deploy may ask for, from
 * `modelMarketplace.deploy.limits`. Every field is optional; an absent
 * field is no limit.
 *
 * @public
 */
export type DeployLimitsOptions = {
  /** Most replicas a workload may ask for (Deployment replicas, InferenceService min and max replicas). */
  maxReplicas?: number;
  /** Most GPUs (`nvidia.com/gpu`) one replica may ask for. */
  maxGpusPerReplica?: number;
  /** Most CPU one replica may ask for, as a Kubernetes quantity (`8`, `500m`). */
  maxCpuPerReplica?: string;
  /** Most memory one replica may ask for, as a Kubernetes quantity (`64Gi`). */
  maxMemoryPerReplica?: string;
  /** Runtimes a model may use (`kserve`, `vllm`, `tgi`, `container`). */
  allowedRuntimes?: string[];
  /**
   * Prefixes an image reference must start with, e.g.
   * `registry.example.com/ml/` or `vllm/vllm-openai:`. End a registry or
   * repository prefix with `/` or `:` so that it cannot match a longer
   * name.
   */
  allowedImages?: string[];
};

/** What is checked: the model's runtime and the rendered objects. @public */
export type DeployLimitsTarget = {
  runtime: string;
  objects: KubernetesManifest[];
};

const CONFIG_KEY = 'modelMarketplace.deploy.limits';

type Container = {
  image?: string;
  resources?: {
    requests?: Record<string, string | number>;
    limits?: Record<string, string | number>;
  };
};

/** The containers and replica counts of a rendered object. */
function workloadShape(object: KubernetesManifest): {
  replicas: number[];
  containers: Container[];
} {
  if (object.kind === 'Deployment') {
    return {
      replicas: [Number(object.spec?.replicas ?? 1)],
      containers: [
        ...(object.spec?.template?.spec?.initContainers ?? []),
        ...(object.spec?.template?.spec?.containers ?? []),
      ],
    };
  }
  if (object.kind === 'InferenceService') {
    const predictor = object.spec?.predictor ?? {};
    const replicas = [predictor.minReplicas, predictor.maxReplicas]
      .filter(n => n !== undefined)
      .map(Number);
    const containers: Container[] = [
      ...(predictor.model ? [predictor.model] : []),
      ...(predictor.containers ?? []),
    ];
    return { replicas, containers };
  }
  if (object.kind === 'LLMInferenceService') {
    // the main workload, and the prefill workload of a disaggregated one;
    // a multi-node `worker` runs beside each replica
    const spec = object.spec ?? {};
    const pods = [spec, spec.prefill ?? {}];
    return {
      replicas: pods
        .map(p => p.replicas)
        .filter(n => n !== undefined)
        .map(Number),
      containers: pods.flatMap(p => [
        ...(p.template?.initContainers ?? []),
        ...(p.template?.containers ?? []),
        ...(p.worker?.containers ?? []),
      ]),
    };
  }
  return { replicas: [], containers: [] };
}

/** The largest of a resource's request and limit, summed over containers. */
function perReplica(
  containers: Container[],
  resource: string,
  parse: (v: string | number) => number,
): number {
  let total = 0;
  for (const c of containers) {
    const values = [
      c.resources?.requests?.[resource],
      c.resources?.limits?.[resource],
    ].filter((v): v is string | number => v !== undefined);
    total += values.length ? Math.max(...values.map(parse)) : 0;
  }
  return total;
}

/**
 * Checks a deploy against the operator's limits before any cluster call.
 * A model's `spec.serving` comes from a catalog file anyone may register,
 * so what it asks for is checked here, on the manifests that would be
 * applied.
 *
 * @public
 */
export class DeployLimits {
  static fromConfig(config: Config): DeployLimits {
    const c = config.getOptionalConfig(CONFIG_KEY);
    if (!c) {
      return new DeployLimits({});
    }
    const limits = new DeployLimits({
      maxReplicas: c.getOptionalNumber('maxReplicas'),
      maxGpusPerReplica: c.getOptionalNumber('maxGpusPerReplica'),
      maxCpuPerReplica: c
        .getOptional<string | number>('maxCpuPerReplica')
        ?.toString(),
      maxMemoryPerReplica: c
        .getOptional<string | number>('maxMemoryPerReplica')
        ?.toString(),
      allowedRuntimes: c.getOptionalStringArray('allowedRuntimes'),
      allowedImages: c.getOptionalStringArray('allowedImages'),
    });
    return limits;
  }

  private readonly maxCpu?: number;
  private readonly maxMemory?: number;

  constructor(readonly options: DeployLimitsOptions) {
    // Fail at startup on a malformed limit, naming the key.
    try {
      this.maxCpu =
        options.maxCpuPerReplica !== undefined
          ? parseCpuQuantity(options.maxCpuPerReplica)
          : undefined;
      this.maxMemory =
        options.maxMemoryPerReplica !== undefined
          ? parseMemoryQuantity(options.maxMemoryPerReplica)
          : undefined;
    } catch (error) {
      throw new InputError(`Invalid ${CONFIG_KEY}: ${error}`);
    }
    for (const key of ['maxReplicas', 'maxGpusPerReplica'] as const) {
      const v = options[key];
      if (v !== undefined && (!Number.isInteger(v) || v < 0)) {
        throw new InputError(
          `Invalid ${CONFIG_KEY}.${key}: ${v} is not a whole number >= 0`,
        );
      }
    }
  }

  /** Throws InputError naming the first limit the deploy exceeds. */
  check(target: DeployLimitsTarget): void {
    const o = this.options;
    const refuse = (key: keyof DeployLimitsOptions, what: string) => {
      throw new InputError(
        `Refused by the operator's deploy limits: ${what} (${CONFIG_KEY}.${key} is ${JSON.stringify(
          o[key],
        )})`,
      );
    };
    if (o.allowedRuntimes && !o.allowedRuntimes.includes(target.runtime)) {
      refuse('allowedRuntimes', `runtime '${target.runtime}' is not allowed`);
    }
    for (const object of target.objects) {
      const where = describeRef(refOf(object));
      const { replicas, containers } = workloadShape(object);
      if (o.maxReplicas !== undefined) {
        const most = Math.max(0, ...replicas);
        if (most > o.maxReplicas) {
          refuse('maxReplicas', `${where} asks for ${most} replicas`);
        }
      }
      if (o.maxGpusPerReplica !== undefined) {
        const gpus = perReplica(containers, 'nvidia.com/gpu', Number);
        if (gpus > o.maxGpusPerReplica) {
          refuse(
            'maxGpusPerReplica',
            `${where} asks for ${gpus} GPUs per replica`,
          );
        }
      }
      if (this.maxCpu !== undefined) {
        const cpu = perReplica(containers, 'cpu', parseCpuQuantity);
        if (cpu > this.maxCpu) {
          refuse(
            'maxCpuPerReplica',
            `${where} asks for ${cpu} CPUs per replica`,
          );
        }
      }
      if (this.maxMemory !== undefined) {
        const memory = perReplica(containers, 'memory', parseMemoryQuantity);
        if (memory > this.maxMemory) {
          refuse(
            'maxMemoryPerReplica',
            `${where} asks for ${formatBytes(memory)} of memory per replica`,
          );
        }
      }
      if (o.allowedImages) {
        for (const c of containers) {
          if (c.image && !o.allowedImages.some(p => c.image!.startsWith(p))) {
            refuse('allowedImages', `${where} uses image '${c.image}'`);
          }
        }
      }
    }
  }
}

function formatBytes(n: number): string {
  return n % 2 ** 30 === 0 ? `${n / 2 ** 30}Gi` : `${n} bytes`;
}
