import {
  DeploymentRecord,
  isModelEntity,
  ModelEntityV1alpha1,
} from '@aic/plugin-model-marketplace-common';
import type {
  AuthService,
  DiscoveryService,
  LoggerService,
  SchedulerServiceTaskRunner,
} from '@backstage/backend-plugin-api';
import { ApiEntity, stringifyEntityRef } from '@backstage/catalog-model';
import { ResponseError } from '@backstage/errors';
import type {
  CatalogService,
  EntityProvider,
  EntityProviderConnection,
} from '@backstage/plugin-catalog-node';
import { deploymentToApiEntity } from './deploymentToApiEntity';

/** The marketplace backend's plugin id. */
const MARKETPLACE_PLUGIN_ID = 'model-marketplace';

/** What one refresh did. */
export type EndpointApiRefreshResult = {
  /** Entity refs of the API entities now in the catalog. */
  entities: string[];
  /** Ready deployments left out, with the reason. */
  skipped: Array<{ deploymentId: string; reason: string }>;
};

/**
 * Keeps one `API` entity per Ready endpoint of a managed deployment in the
 * catalog. Each run reads the deployments inventory from the marketplace
 * backend's REST API (`GET /deployments?status=deployed`) with this
 * plugin's service token (it holds only what the REST API grants any
 * service: the deployments read permission), reads each deployed model
 * from the catalog, and replaces everything it provided before with that
 * set (a full mutation): an undeployed deployment leaves the catalog on the
 * next run. Discovered (not managed) workloads and deployments that are
 * not Ready or have no endpoint get no entity.
 *
 * When the marketplace cannot be read the run fails and the catalog keeps
 * the previous set: a backend restart never empties it.
 */
export class ModelEndpointApiProvider implements EntityProvider {
  private connection?: EntityProviderConnection;

  constructor(
    private readonly options: {
      discovery: DiscoveryService;
      auth: AuthService;
      catalog: CatalogService;
      logger: LoggerService;
      taskRunner: SchedulerServiceTaskRunner;
    },
  ) {}

  getProviderName(): string {
    return 'ModelEndpointApiProvider';
  }

  async connect(connection: EntityProviderConnection): Promise<void> {
    this.connection = connection;
    await this.options.taskRunner.run({
      id: `${this.getProviderName()}:refresh`,
      fn: async () => {
        try {
          await this.refresh();
        } catch (error) {
          this.options.logger.warn(
            `Model endpoint APIs not refreshed, the catalog keeps the previous set: ${
              (error as Error).message
            }`,
          );
        }
      },
    });
  }

  private async readDeployments(): Promise<DeploymentRecord[]> {
    const { discovery, auth } = this.options;
    const base = await discovery.getBaseUrl(MARKETPLACE_PLUGIN_ID);
    const { token } = await auth.getPluginRequestToken({
      onBehalfOf: await auth.getOwnServiceCredentials(),
      targetPluginId: MARKETPLACE_PLUGIN_ID,
    });
    const response = await fetch(`${base}/deployments?status=deployed`, {
      headers: { Authorization: `Bearer ${token}` },
    });
    if (!response.ok) {
      throw await ResponseError.fromResponse(response);
    }
    const body = (await response.json()) as { items?: DeploymentRecord[] };
    return body.items ?? [];
  }

  /** Reads the deployments and applies their API entities to the catalog. */
  async refresh(): Promise<EndpointApiRefreshResult> {
    if (!this.connection) {
      throw new Error(`${this.getProviderName()} is not connected`);
    }
    const deployments = await this.readDeployments();
    const credentials = await this.options.auth.getOwnServiceCredentials();
    const models = new Map<string, Promise<ModelEntityV1alpha1 | undefined>>();
    const modelOf = (ref: string) => {
      let model = models.get(ref);
      if (!model) {
        model = this.options.catalog
          .getEntityByRef(ref, { credentials })
          .then(e => (e && isModelEntity(e) ? e : undefined));
        models.set(ref, model);
      }
      return model;
    };

    const entities: ApiEntity[] = [];
    const skipped: EndpointApiRefreshResult['skipped'] = [];
    for (const d of deployments) {
      if (d.discovered || d.managed === false || d.status !== 'deployed') {
        continue;
      }
      if (d.live?.state !== 'ready') {
        skipped.push({
          deploymentId: d.id,
          reason: `not Ready (${d.live?.state ?? 'no live status'})`,
        });
        continue;
      }
      if (!d.endpoint) {
        skipped.push({ deploymentId: d.id, reason: 'no endpoint recorded' });
        continue;
      }
      const model = await modelOf(d.model);
      if (!model) {
        skipped.push({
          deploymentId: d.id,
          reason: `model ${d.model} is not in the catalog`,
        });
        continue;
      }
      entities.push(
        deploymentToApiEntity({ ...d, endpoint: d.endpoint }, model),
      );
    }

    await this.connection.applyMutation({
      type: 'full',
      entities: entities.map(entity => ({
        entity,
        locationKey: this.getProviderName(),
      })),
    });
    this.options.logger.info(
      `Model endpoint APIs: ${entities.length} Ready endpoints${
        skipped.length ? `, ${skipped.length} deployments without one` : ''
      }`,
    );
    return { entities: entities.map(e => stringifyEntityRef(e)), skipped };
  }
}
