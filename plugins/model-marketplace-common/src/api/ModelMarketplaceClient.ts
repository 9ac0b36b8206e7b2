import { ResponseError } from '@backstage/errors';
import type {
  CreateDeploymentRecordRequest,
  DeploymentRecord,
  UpdateDeploymentRecordRequest,
} from './deployments';
import type {
  ListDeploymentsRequest,
  ListDeploymentsResponse,
} from './listDeployments';
import type {
  ModelMarketplaceApi,
  ModelMarketplaceRequestOptions,
} from './ModelMarketplaceApi';
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

/** The plugin id the backend is mounted under. @public */
export const MODEL_MARKETPLACE_PLUGIN_ID = 'model-marketplace';

type QueryValue = string | number | string[] | undefined;

/**
 * A typed client of the model marketplace backend, usable in the browser
 * (with Backstage's discovery and fetch APIs) and in backend code.
 *
 * @public
 */
export class ModelMarketplaceClient implements ModelMarketplaceApi {
  private readonly discoveryApi: {
    getBaseUrl(pluginId: string): Promise<string>;
  };
  private readonly fetchApi: { fetch: typeof fetch };

  constructor(options: {
    discoveryApi: { getBaseUrl(pluginId: string): Promise<string> };
    fetchApi?: { fetch: typeof fetch };
  }) {
    this.discoveryApi = options.discoveryApi;
    this.fetchApi = options.fetchApi ?? { fetch: (...a) => fetch(...a) };
  }

  listModels(
    request: ListModelsRequest = {},
    options?: ModelMarketplaceRequestOptions,
  ): Promise<ListModelsResponse> {
    return this.request('GET', '/models', { query: request, options });
  }

  getModel(
    modelRef: string,
    options?: ModelMarketplaceRequestOptions,
  ): Promise<ModelDetails> {
    const { namespace, name } = splitModelRef(modelRef);
    return this.request(
      'GET',
      `/models/${encodeURIComponent(namespace)}/${encodeURIComponent(name)}`,
      { options },
    );
  }

  listMetrics(
    options?: ModelMarketplaceRequestOptions,
  ): Promise<ListModelMetricsResponse> {
    return this.request('GET', '/metrics', { options });
  }

  getMetricBenchmark(
    name: string,
    options?: ModelMarketplaceRequestOptions,
  ): Promise<ModelMetricBenchmark> {
    return this.request('GET', `/metrics/${encodeURIComponent(name)}`, {
      options,
    });
  }

  getModelCard(
    modelRef: string,
    options?: ModelMarketplaceRequestOptions,
  ): Promise<string> {
    const { namespace, name } = splitModelRef(modelRef);
    return this.request(
      'GET',
      `/models/${encodeURIComponent(namespace)}/${encodeURIComponent(
        name,
      )}/card`,
      { options, as: 'text' },
    );
  }

  createRequest(
    request: CreateModelRequestRequest,
    options?: ModelMarketplaceRequestOptions,
  ): Promise<CreateModelRequestResponse> {
    return this.request('POST', '/requests', { body: request, options });
  }

  listRequests(
    request: ListModelRequestsRequest = {},
    options?: ModelMarketplaceRequestOptions,
  ): Promise<ListModelRequestsResponse> {
    return this.request('GET', '/requests', { query: request, options });
  }

  getRequest(
    id: string,
    options?: ModelMarketplaceRequestOptions,
  ): Promise<ModelRequestWithTimeline> {
    return this.request('GET', `/requests/${encodeURIComponent(id)}`, {
      options,
    });
  }

  decideRequest(
    id: string,
    decision: DecideModelRequestRequest,
    options?: ModelMarketplaceRequestOptions,
  ): Promise<ModelRequest> {
    return this.request(
      'POST',
      `/requests/${encodeURIComponent(id)}/decision`,
      { body: decision, options },
    );
  }

  cancelRequest(
    id: string,
    body: CancelModelRequestRequest = {},
    options?: ModelMarketplaceRequestOptions,
  ): Promise<ModelRequest> {
    return this.request('POST', `/requests/${encodeURIComponent(id)}/cancel`, {
      body,
      options,
    });
  }

  revokeRequest(
    id: string,
    body: RevokeModelRequestRequest,
    options?: ModelMarketplaceRequestOptions,
  ): Promise<ModelRequest> {
    return this.request('POST', `/requests/${encodeURIComponent(id)}/revoke`, {
      body,
      options,
    });
  }

  getModelUsage(
    modelRef: string,
    options?: ModelMarketplaceRequestOptions,
  ): Promise<ModelUsageResponse> {
    return this.request('GET', `${modelPath(modelRef)}/usage`, { options });
  }

  exportAccessList(
    modelRef: string,
    format: AccessListFormat,
    options?: ModelMarketplaceRequestOptions,
  ): Promise<string> {
    return this.request('GET', `${modelPath(modelRef)}/access-list`, {
      query: { format },
      options,
      as: 'text',
    });
  }

  listDeployments(
    request: ListDeploymentsRequest = {},
    options?: ModelMarketplaceRequestOptions,
  ): Promise<ListDeploymentsResponse> {
    return this.request('GET', '/deployments', { query: request, options });
  }

  getDeploymentRecord(
    id: string,
    options?: ModelMarketplaceRequestOptions,
  ): Promise<DeploymentRecord> {
    return this.request('GET', `/deployments/${encodeURIComponent(id)}`, {
      options,
    });
  }

  createDeploymentRecord(
    record: CreateDeploymentRecordRequest,
    options?: ModelMarketplaceRequestOptions,
  ): Promise<DeploymentRecord> {
    return this.request('POST', '/deployments', { body: record, options });
  }

  updateDeploymentRecord(
    id: string,
    update: UpdateDeploymentRecordRequest,
    options?: ModelMarketplaceRequestOptions,
  ): Promise<DeploymentRecord> {
    return this.request('PATCH', `/deployments/${encodeURIComponent(id)}`, {
      body: update,
      options,
    });
  }

  private async request<T>(
    method: 'GET' | 'POST' | 'PATCH',
    path: string,
    init: {
      query?: Record<string, QueryValue>;
      body?: unknown;
      options?: ModelMarketplaceRequestOptions;
      /** How to read a successful answer; JSON unless told. */
      as?: 'json' | 'text';
    },
  ): Promise<T> {
    const baseUrl = await this.discoveryApi.getBaseUrl(
      MODEL_MARKETPLACE_PLUGIN_ID,
    );
    const headers: Record<string, string> = {};
    if (init.body !== undefined) {
      headers['Content-Type'] = 'application/json';
    }
    if (init.options?.token) {
      headers.Authorization = `Bearer ${init.options.token}`;
    }
    const response = await this.fetchApi.fetch(
      `${baseUrl}${path}${toQueryString(init.query)}`,
      {
        method,
        headers,
        body: init.body === undefined ? undefined : JSON.stringify(init.body),
      },
    );
    if (!response.ok) {
      throw await ResponseError.fromResponse(response);
    }
    return (
      init.as === 'text' ? await response.text() : await response.json()
    ) as T;
  }
}

function toQueryString(query?: Record<string, QueryValue>): string {
  if (!query) {
    return '';
  }
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) {
    if (value === undefined || value === '') {
      continue;
    }
    for (const item of Array.isArray(value) ? value : [value]) {
      params.append(key, String(item));
    }
  }
  const text = params.toString();
  return text ? `?${text}` : '';
}

function modelPath(ref: string): string {
  const { namespace, name } = splitModelRef(ref);
  return `/models/${encodeURIComponent(namespace)}/${encodeURIComponent(name)}`;
}

function splitModelRef(ref: string): { namespace: string; name: string } {
  const withoutKind = ref.includes(':') ? ref.slice(ref.indexOf(':') + 1) : ref;
  const slash = withoutKind.indexOf('/');
  if (slash < 0) {
    return { namespace: 'default', name: withoutKind };
  }
  return {
    namespace: withoutKind.slice(0, slash),
    name: withoutKind.slice(slash + 1),
  };
}
