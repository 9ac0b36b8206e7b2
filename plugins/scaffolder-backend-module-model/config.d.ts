import { HumanDuration } from '@backstage/types';

export interface Config {
  modelMarketplace?: {
    deploy?: {
      /**
       * How often a running `model:deploy` refreshes its inventory row while
       * it waits for readiness, so that the backend's reconciler (see
       * `modelMarketplace.deployments.reconcile.staleAfter`) does not take
       * it for an interrupted deploy. Default 1 minute.
       */
      heartbeatInterval?: string | HumanDuration;
      /**
       * Operator limits on what `model:deploy` may apply. A Model's
       * `spec.serving` comes from a catalog file that anyone who can
       * register a location controls, so these are checked on the rendered
       * manifests before any cluster call; a deploy over a limit is refused
       * with an error naming the limit and the value, and nothing is
       * written. Every field is optional; an absent field is no limit.
       */
      limits?: {
        /** Most replicas a workload may ask for (Deployment `replicas`, InferenceService `minReplicas` and `maxReplicas`). */
        maxReplicas?: number;
        /** Most GPUs (`nvidia.com/gpu`) one replica may ask for. */
        maxGpusPerReplica?: number;
        /** Most CPU one replica may ask for (the larger of request and limit, summed over containers), as a Kubernetes quantity, e.g. `8` or `500m`. */
        maxCpuPerReplica?: string | number;
        /** Most memory one replica may ask for, as a Kubernetes quantity, e.g. `64Gi`. */
        maxMemoryPerReplica?: string;
        /** Runtimes a model may use: `kserve`, `vllm`, `tgi`, `container`. */
        allowedRuntimes?: string[];
        /**
         * Prefixes that every container image must start with, e.g.
         * `registry.example.com/ml/` or `vllm/vllm-openai:`. End a
         * registry or repository prefix with `/` or `:` so that it cannot
         * match a longer name.
         */
        allowedImages?: string[];
      };
    };
  };
}
