import { HumanDuration } from '@backstage/types';

export interface Config {
  /** Configuration of the model marketplace backend. */
  modelMarketplace?: {
    index?: {
      /**
       * How often the browse index lists the uids and etags of every Model
       * entity to catch anything the change feed missed (the safety net).
       * Default 10 minutes. An ISO 8601 duration string or a duration
       * object, e.g. `{ minutes: 10 }`.
       */
      refreshInterval?: string | HumanDuration;
      /**
       * How often each replica reads the change feed (models other replicas
       * processed) and the catalog's count of Model entities (a changed
       * count means a deletion or a missed change). The count is read less
       * often when the catalog takes long to answer it: at most once per 20
       * times what a count takes, and at least every 5 seconds. Default 1
       * second.
       */
      changesInterval?: string | HumanDuration;
    };
    deployments?: {
      /**
       * How long the live status of a deployment, read from its cluster, is
       * cached. Default 10 seconds.
       */
      statusCacheTtl?: string | HumanDuration;
      /**
       * The reconciler, which finishes or rolls back deployments that no
       * deploy finished (for example when the backend was killed mid-way)
       * and retries failed rollbacks. It runs on one replica at a time.
       */
      reconcile?: {
        /** How often it runs. Default 1 minute. */
        frequency?: string | HumanDuration;
        /**
         * How long a `deploying` row may go unchanged before the reconciler
         * takes it for interrupted. A running deploy refreshes its row every
         * minute while it waits for readiness, so keep this well above a
         * minute. Default 10 minutes.
         */
        staleAfter?: string | HumanDuration;
      };
    };
    /**
     * Discovery of KServe InferenceServices and LLMInferenceServices that
     * the marketplace did not create, in every configured cluster. They are
     * listed read-only in `GET /deployments` (discovered, not managed).
     */
    discovery?: {
      /** Default true. */
      enabled?: boolean;
      /** How long one discovery pass is reused. Default 30 seconds. */
      cacheTtl?: string | HumanDuration;
    };
    /**
     * The marketplace's actions in Backstage's actions registry (served as
     * MCP tools by `@backstage/plugin-mcp-actions-backend`).
     */
    actions?: {
      /** The template deploy-model runs. Default `template:default/deploy-model`. */
      deployTemplate?: string;
      /** The template undeploy-model runs. Default `template:default/undeploy-model`. */
      undeployTemplate?: string;
      /**
       * How long deploy-model and undeploy-model wait for the template's
       * checks to pass (or to refuse) before answering with the task id.
       * Default 60 seconds.
       */
      checksTimeout?: string | HumanDuration;
    };
  };
}
