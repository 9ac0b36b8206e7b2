import {
  ModelMarketplaceClient,
  type CreateDeploymentRecordRequest,
  type DeploymentRecord,
  type ModelMarketplaceApi,
  type ModelRequestStatus,
  type UpdateDeploymentRecordRequest,
} from '@aic/plugin-model-marketplace-common';
import type {
  AuthService,
  DiscoveryService,
} from '@backstage/backend-plugin-api';
import { ResponseError } from '@backstage/errors';

/**
 * Records deploys and undeploys in the marketplace's deployments inventory.
 *
 * @public
 */
export interface DeploymentRecorder {
  /** Records a deploy that is starting; answers the record's id. */
  create(request: CreateDeploymentRecordRequest): Promise<{ id: string }>;
  /** Moves a record to its next status (deployed, failed, undeployed, ...). */
  update(id: string, request: UpdateDeploymentRecordRequest): Promise<void>;
  /** One live record, or undefined. */
  get(id: string): Promise<DeploymentRecord | undefined>;
  /** The live records of a model in a namespace (optionally one version). */
  find(query: {
    model: string;
    team: string;
    cluster: string;
    namespace: string;
    version?: string;
  }): Promise<DeploymentRecord[]>;
}

/**
 * Answers whether a team holds an approved request for a model.
 *
 * @public
 */
export interface ApprovalChecker {
  /**
   * The team's approved (or already deployed) request for the model that
   * covers the version, or undefined.
   */
  findApprovedRequest(query: {
    model: string;
    team: string;
    version: string;
  }): Promise<{ id: string } | undefined>;
  /**
   * The team's most recently revoked request for the model that covered the
   * version, or undefined; says why a deploy without an approved request is
   * refused.
   */
  findRevokedRequest?(query: {
    model: string;
    team: string;
    version: string;
  }): Promise<RevokedRequest | undefined>;
}

/** A request whose access an approver withdrew. @public */
export type RevokedRequest = {
  id: string;
  /** Entity ref of the approver who revoked the access. */
  revokedBy?: string;
  revokedAt?: string;
  reason?: string;
};

// A request moves from approved to deployed after the first deploy; either
// one entitles the team to deploy again.
const ENTITLING_STATUSES: ModelRequestStatus[] = ['approved', 'deployed'];

/**
 * The model actions' view of the marketplace backend: common's
 * `ModelMarketplaceClient`, called with this plugin's own service
 * credentials.
 */
export class MarketplaceGateway implements DeploymentRecorder, ApprovalChecker {
  static create(deps: {
    auth: AuthService;
    discovery: DiscoveryService;
  }): MarketplaceGateway {
    return new MarketplaceGateway(
      deps.auth,
      new ModelMarketplaceClient({ discoveryApi: deps.discovery }),
    );
  }

  constructor(
    private readonly auth: AuthService,
    private readonly client: ModelMarketplaceApi,
  ) {}

  private async token(): Promise<{ token: string }> {
    return this.auth.getPluginRequestToken({
      onBehalfOf: await this.auth.getOwnServiceCredentials(),
      targetPluginId: 'model-marketplace',
    });
  }

  async create(
    request: CreateDeploymentRecordRequest,
  ): Promise<{ id: string }> {
    const record = await this.client.createDeploymentRecord(
      request,
      await this.token(),
    );
    return { id: String(record.id) };
  }

  async update(id: string, request: UpdateDeploymentRecordRequest) {
    await this.client.updateDeploymentRecord(id, request, await this.token());
  }

  async get(id: string): Promise<DeploymentRecord | undefined> {
    try {
      return await this.client.getDeploymentRecord(id, await this.token());
    } catch (error) {
      if (error instanceof ResponseError && error.statusCode === 404) {
        return undefined;
      }
      throw error;
    }
  }

  async find(query: {
    model: string;
    team: string;
    cluster: string;
    namespace: string;
    version?: string;
  }): Promise<DeploymentRecord[]> {
    const { items } = await this.client.listDeployments(
      { model: query.model, team: query.team },
      await this.token(),
    );
    return items.filter(
      d =>
        d.cluster === query.cluster &&
        d.namespace === query.namespace &&
        (!query.version || d.version === query.version),
    );
  }

  async findApprovedRequest(query: {
    model: string;
    team: string;
    version: string;
  }): Promise<{ id: string } | undefined> {
    for (const status of ENTITLING_STATUSES) {
      const { items } = await this.client.listRequests(
        { model: query.model, team: query.team, status: [status] },
        await this.token(),
      );
      const match = items.find(
        r =>
          r.status === status &&
          r.model === query.model &&
          r.team === query.team &&
          (!r.version || r.version === query.version),
      );
      if (match) {
        return { id: String(match.id) };
      }
    }
    return undefined;
  }

  async findRevokedRequest(query: {
    model: string;
    team: string;
    version: string;
  }): Promise<RevokedRequest | undefined> {
    const { items } = await this.client.listRequests(
      { model: query.model, team: query.team, status: ['revoked'] },
      await this.token(),
    );
    const [latest] = items
      .filter(
        r =>
          r.status === 'revoked' &&
          r.model === query.model &&
          r.team === query.team &&
          (!r.version || r.version === query.version),
      )
      .sort((a, b) =>
        (b.revokedAt ?? b.updatedAt).localeCompare(a.revokedAt ?? a.updatedAt),
      );
    if (!latest) {
      return undefined;
    }
    return {
      id: String(latest.id),
      ...(latest.revokedBy ? { revokedBy: latest.revokedBy } : {}),
      ...(latest.revokedAt ? { revokedAt: latest.revokedAt } : {}),
      ...(latest.revokeReason ? { reason: latest.revokeReason } : {}),
    };
  }
}
