import type { DeploymentStatusReader } from '@aic/plugin-model-marketplace-common';
import {
  coreServices,
  createServiceFactory,
  createServiceRef,
} from '@backstage/backend-plugin-api';
import { ClusterRegistry } from './ClusterRegistry';
import { KubernetesDeploymentStatusReader } from './KubernetesDeploymentStatusReader';
import { ModelDeployer } from './ModelDeployer';

/**
 * The clusters models deploy to, and the objects that deploy to them and read
 * back their status. The marketplace backend and the scaffolder module share
 * one instance, so `kubernetes.clusterLocatorMethods` is read once.
 *
 * @public
 */
export interface ModelDeploymentService {
  /** The clusters of `kubernetes.clusterLocatorMethods` (type `config`). */
  readonly clusters: ClusterRegistry;
  /** Applies, waits for and rolls back model deployments on those clusters. */
  readonly deployer: ModelDeployer;
  /** Reads the live status of deployed objects; never throws. */
  readonly statusReader: DeploymentStatusReader;
}

/**
 * The {@link ModelDeploymentService}. Its default factory reads the clusters
 * from the root config; replace it with your own factory
 * (`createServiceFactory({ service: modelDeploymentServiceRef, ... })`) to
 * take clusters from elsewhere.
 *
 * @public
 */
export const modelDeploymentServiceRef =
  createServiceRef<ModelDeploymentService>({
    id: 'model-marketplace.deployment',
    scope: 'root',
    defaultFactory: async service =>
      createServiceFactory({
        service,
        deps: {
          config: coreServices.rootConfig,
          rootLogger: coreServices.rootLogger,
        },
        factory({ config, rootLogger }) {
          const logger = rootLogger.child({ service: service.id });
          const clusters = ClusterRegistry.fromConfig(config);
          return {
            clusters,
            deployer: new ModelDeployer({ clusters, logger }),
            // a status read should answer quickly rather than retry for long
            statusReader: new KubernetesDeploymentStatusReader(
              clusters,
              logger,
              { maxAttempts: 2 },
            ),
          };
        },
      }),
  });
