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
      // `limits` is declared by @aic/plugin-model-marketplace-node, which reads it.
    };
  };
}
