import type {
  CreateDeploymentRecordRequest,
  DeploymentRecord,
  UpdateDeploymentRecordRequest,
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
  create(request: CreateDeploymentRecordRequest): Promise<{ id: string }>;
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
  findApprovedRequest(query: {
    model: string;
    team: string;
    version: string;
  }): Promise<{ id: string } | undefined>;
}

/**
 * Talks to the marketplace backend (`/api/model-marketplace`) with this
 * plugin's own service credentials.
 *
 * @public
 */
export class MarketplaceClient implements DeploymentRecorder, ApprovalChecker {
  constructor(
    private readonly deps: { auth: AuthService; discovery: DiscoveryService },
  ) {}

  private async fetch(path: string, init: RequestInit = {}): Promise<any> {
    const { auth, discovery } = this.deps;
    const baseUrl = await discovery.getBaseUrl('model-marketplace');
    const { token } = await auth.getPluginRequestToken({
      onBehalfOf: await auth.getOwnServiceCredentials(),
      targetPluginId: 'model-marketplace',
    });
    const response = await fetch(`${baseUrl}${path}`, {
      ...init,
      headers: {
        ...(init.body ? { 'Content-Type': 'application/json' } : {}),
        Authorization: `Bearer ${token}`,
      },
    });
    if (!response.ok) {
      throw await ResponseError.fromResponse(response);
    }
    const text = await response.text();
    return text ? JSON.parse(text) : undefined;
  }

  async create(
    request: CreateDeploymentRecordRequest,
  ): Promise<{ id: string }> {
    const body = await this.fetch('/deployments', {
      method: 'POST',
      body: JSON.stringify(request),
    });
    return { id: String(body.id) };
  }

  async update(id: string, request: UpdateDeploymentRecordRequest) {
    await this.fetch(`/deployments/${encodeURIComponent(id)}`, {
      method: 'PATCH',
      body: JSON.stringify(request),
    });
  }

  async get(id: string): Promise<DeploymentRecord | undefined> {
    try {
      return await this.fetch(`/deployments/${encodeURIComponent(id)}`);
    } catch (error) {
      if ((error as ResponseError).statusCode === 404) {
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
    const params = new URLSearchParams({
      model: query.model,
      team: query.team,
    });
    const body = await this.fetch(`/deployments?${params}`);
    const items: DeploymentRecord[] = body?.items ?? [];
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
    // A request moves from approved to deployed after the first deploy;
    // either one entitles the team to deploy again.
    for (const status of ['approved', 'deployed']) {
      const params = new URLSearchParams({
        model: query.model,
        team: query.team,
        status,
      });
      const body = await this.fetch(`/requests?${params}`);
      const items: any[] = body?.items ?? [];
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
}
