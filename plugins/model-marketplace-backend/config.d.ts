import { HumanDuration } from '@backstage/types';

export interface Config {
  /** Configuration of the model marketplace backend. */
  modelMarketplace?: {
    index?: {
      /**
       * How often the browse index asks the catalog which Model entities
       * changed (a cheap uid/etag listing). Default 10 seconds. An ISO 8601
       * duration string or a duration object, e.g. `{ seconds: 10 }`.
       */
      refreshInterval?: string | HumanDuration;
    };
    deployments?: {
      /**
       * How long the live status of a deployment, read from its cluster, is
       * cached. Default 10 seconds.
       */
      statusCacheTtl?: string | HumanDuration;
    };
  };
}
