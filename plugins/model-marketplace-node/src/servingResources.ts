import type { ModelServing } from '@aic/plugin-model-marketplace-common';

/**
 * The container resources of a model's serving spec: CPU and memory
 * requests, memory limit, and GPUs as `nvidia.com/gpu` request and limit.
 */
export function servingResources(serving: ModelServing): {
  requests?: Record<string, string>;
  limits?: Record<string, string>;
} {
  const r = serving.resources ?? {};
  const requests: Record<string, string> = {};
  const limits: Record<string, string> = {};
  if (r.cpu !== undefined) {
    requests.cpu = String(r.cpu);
  }
  if (r.memory !== undefined) {
    requests.memory = String(r.memory);
    limits.memory = String(r.memory);
  }
  if (r.gpu && r.gpu > 0) {
    requests['nvidia.com/gpu'] = String(r.gpu);
    limits['nvidia.com/gpu'] = String(r.gpu);
  }
  return {
    ...(Object.keys(requests).length ? { requests } : {}),
    ...(Object.keys(limits).length ? { limits } : {}),
  };
}
