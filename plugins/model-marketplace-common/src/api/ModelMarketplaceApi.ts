import type {
  CreateDeploymentRecordRequest,
  DeploymentRecord,
  UpdateDeploymentRecordRequest,
} from './deployments';
import type {
  ListDeploymentsRequest,
  ListDeploymentsResponse,
} from './listDeployments';
import type { ListModelMetricsResponse, ModelMetricBenchmark } from './metrics';
import type {
  ListModelsRequest,
  ListModelsResponse,
  ModelDetails,
} from './models';
import type {
  CancelModelRequestRequest,
  CreateModelRequestRequest,
  CreateModelRequestResponse,
  DecideModelRequestRequest,
  ListModelRequestsRequest,
  ListModelRequestsResponse,
  AccessListFormat,
  ModelRequest,
  ModelRequestWithTimeline,
  RevokeModelRequestRequest,
} from './requests';
import type { ModelUsageResponse } from './usage';

/**
 * Options of every call. Browsers leave them out (the fetch API adds the
 * user's token); backend callers pass a token from the auth service.
 *
 * @public
 */
export type ModelMarketplaceRequestOptions = {
  token?: string;
};

/**
 * The REST API of the model marketplace backend (`/api/model-marketplace`).
 *
 * @public
 */
export interface ModelMarketplaceApi {
  /** `GET /models`: browse, search and facet. */
  listModels(
    request?: ListModelsRequest,
    options?: ModelMarketplaceRequestOptions,
  ): Promise<ListModelsResponse>;

  /** `GET /models/:namespace/:name`. Accepts `model:ns/name`, `ns/name` or `name`. */
  getModel(
    modelRef: string,
    options?: ModelMarketplaceRequestOptions,
  ): Promise<ModelDetails>;

  /** `GET /metrics`: the metrics the visible models report. */
  listMetrics(
    options?: ModelMarketplaceRequestOptions,
  ): Promise<ListModelMetricsResponse>;

  /** `GET /metrics/:name`: the models reporting a metric, best first. */
  getMetricBenchmark(
    name: string,
    options?: ModelMarketplaceRequestOptions,
  ): Promise<ModelMetricBenchmark>;

  /** `GET /models/:namespace/:name/card`: the model card's markdown. */
  getModelCard(
    modelRef: string,
    options?: ModelMarketplaceRequestOptions,
  ): Promise<string>;

  /** `POST /requests`. */
  createRequest(
    request: CreateModelRequestRequest,
    options?: ModelMarketplaceRequestOptions,
  ): Promise<CreateModelRequestResponse>;

  /** `GET /requests`. */
  listRequests(
    request?: ListModelRequestsRequest,
    options?: ModelMarketplaceRequestOptions,
  ): Promise<ListModelRequestsResponse>;

  /** `GET /requests/:id`. */
  getRequest(
    id: string,
    options?: ModelMarketplaceRequestOptions,
  ): Promise<ModelRequestWithTimeline>;

  /** `POST /requests/:id/decision`. */
  decideRequest(
    id: string,
    decision: DecideModelRequestRequest,
    options?: ModelMarketplaceRequestOptions,
  ): Promise<ModelRequest>;

  /** `POST /requests/:id/cancel`. */
  cancelRequest(
    id: string,
    body?: CancelModelRequestRequest,
    options?: ModelMarketplaceRequestOptions,
  ): Promise<ModelRequest>;

  /** `POST /requests/:id/revoke`: approvers withdraw an approved access. */
  revokeRequest(
    id: string,
    body: RevokeModelRequestRequest,
    options?: ModelMarketplaceRequestOptions,
  ): Promise<ModelRequest>;

  /** `GET /models/:namespace/:name/usage`: the teams that use a model. */
  getModelUsage(
    modelRef: string,
    options?: ModelMarketplaceRequestOptions,
  ): Promise<ModelUsageResponse>;

  /**
   * `GET /models/:namespace/:name/access-list`: every request for a model
   * as CSV or JSON text (approvers only).
   */
  exportAccessList(
    modelRef: string,
    format: AccessListFormat,
    options?: ModelMarketplaceRequestOptions,
  ): Promise<string>;

  /** `GET /deployments`. */
  listDeployments(
    request?: ListDeploymentsRequest,
    options?: ModelMarketplaceRequestOptions,
  ): Promise<ListDeploymentsResponse>;

  /** `GET /deployments/{id}`: one live deployment record. */
  getDeploymentRecord(
    id: string,
    options?: ModelMarketplaceRequestOptions,
  ): Promise<DeploymentRecord>;

  /** `POST /deployments` (service credentials only). */
  createDeploymentRecord(
    record: CreateDeploymentRecordRequest,
    options?: ModelMarketplaceRequestOptions,
  ): Promise<DeploymentRecord>;

  /** `PATCH /deployments/:id` (service credentials only). */
  updateDeploymentRecord(
    id: string,
    update: UpdateDeploymentRecordRequest,
    options?: ModelMarketplaceRequestOptions,
  ): Promise<DeploymentRecord>;
}
