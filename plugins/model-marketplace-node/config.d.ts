export interface Config {
  /**
   * The clusters models deploy to. The model marketplace reads Backstage's
   * own Kubernetes configuration (the same keys the Kubernetes plugin reads)
   * and uses the `config` locator method only; other methods are ignored.
   */
  kubernetes?: {
    clusterLocatorMethods?: Array<{
      /** Only `config` declares clusters the marketplace deploys to. */
      type: string;
      clusters?: Array<{
        /** The cluster's name, as in `aic.dev/kubernetes-namespaces` entries. */
        name: string;
        /** The API server URL. */
        url: string;
        /** Must be `serviceAccount` (the default) for deploys. */
        authProvider?: string;
        /**
         * Read for `kubernetes.io/auth-provider` when `authProvider` is
         * absent.
         * @visibility secret
         */
        authMetadata?: { [key: string]: string };
        /**
         * Bearer token of the service account that deploys; never logged.
         * @visibility secret
         */
        serviceAccountToken?: string;
        /**
         * Base64-encoded PEM of the cluster CA.
         * @visibility secret
         */
        caData?: string;
        /**
         * Path to a PEM file with the cluster CA.
         * @visibility secret
         */
        caFile?: string;
        /** Skips TLS verification of the API server. Default false. */
        skipTLSVerify?: boolean;
      }>;
    }>;
  };

  modelMarketplace?: {
    deploy?: {
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
