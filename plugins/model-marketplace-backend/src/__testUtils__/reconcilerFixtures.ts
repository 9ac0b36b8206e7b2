/*
 * What the DeploymentReconciler tests share: an interrupted deploy of
 * mistral-7b-instruct 0.3.0 into team-assistants, the real deployment store
 * on a test database, and a reconciler that keeps what it notifies.
 */
import { mockServices } from '@backstage/backend-test-utils';
import type { NotificationService } from '@backstage/plugin-notifications-node';
import type {
  CreateDeploymentRecordRequest,
  DeploymentObjectRef,
} from '@aic/plugin-model-marketplace-common';
import type { Knex } from 'knex';
import { DatabaseDeploymentStore } from '../database/DatabaseDeploymentStore';
import type { MarketplaceMetrics } from '../metrics/MarketplaceMetrics';
import {
  DeploymentReconciler,
  ReconcilerCluster,
} from '../service/DeploymentReconciler';

/** The namespace of the deploys. */
export const ns = 'team-assistants';

/** The deploy's workload. */
export const deploymentRef: DeploymentObjectRef = {
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  namespace: ns,
  name: 'mistral-7b-instruct-0-3-0',
};

/** A row `deploying` with the workload, changed by `overrides`. */
export const interruptedDeploy = (
  overrides: Partial<CreateDeploymentRecordRequest> = {},
): CreateDeploymentRecordRequest => ({
  model: 'model:default/mistral-7b-instruct',
  version: '0.3.0',
  team: 'group:default/team-assistants',
  cluster: 'sandbox',
  namespace: ns,
  objects: [deploymentRef],
  status: 'deploying',
  deployedBy: 'user:default/guest',
  ...overrides,
});

/** An hour from now: every `deploying` row is stale by then. */
export const later = () => new Date(Date.now() + 60 * 60_000);

/** The deployment store on `knex` (a test database), migrated. */
export function deploymentStore(knex: Knex): Promise<DatabaseDeploymentStore> {
  return DatabaseDeploymentStore.create({
    database: mockServices.database({ knex, migrations: { skip: false } }),
  });
}

/**
 * A reconciler on `store` and `cluster` whose `deploying` rows are stale
 * after 10 minutes; its notifications go to `send`, or else are kept in
 * `sent` (their recipients and titles).
 */
export function reconcilerOn(options: {
  store: DatabaseDeploymentStore;
  cluster: ReconcilerCluster;
  send?: NotificationService['send'];
  metrics?: MarketplaceMetrics;
}) {
  const { store, cluster, send, metrics } = options;
  const logger = mockServices.logger.mock();
  const sent: Array<{ entityRef: unknown; title: string }> = [];
  const reconciler = new DeploymentReconciler({
    store,
    cluster,
    logger,
    staleAfterMs: 10 * 60_000,
    metrics,
    notifications: {
      send:
        send ??
        (async ({ recipients, payload }) => {
          sent.push({
            entityRef:
              recipients.type === 'entity' ? recipients.entityRef : undefined,
            title: payload.title,
          });
        }),
    },
  });
  return { reconciler, logger, sent };
}
