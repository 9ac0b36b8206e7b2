import type {
  ListModelsResponse,
  ModelDetails,
  ModelRequest,
  ModelSummary,
} from '@aic/plugin-model-marketplace-common';
import type { ModelMarketplaceApi } from '../api';

/**
 * A fake of the API boundary for component tests: every method is a jest
 * mock that rejects until a test gives it a behaviour.
 */
export function fakeModelMarketplaceApi(
  overrides: Partial<jest.Mocked<ModelMarketplaceApi>> = {},
): jest.Mocked<ModelMarketplaceApi> {
  const notStubbed = (name: string) =>
    jest.fn(() => Promise.reject(new Error(`${name} not stubbed`)));
  return {
    listModels: notStubbed('listModels'),
    getModel: notStubbed('getModel'),
    listMetrics: notStubbed('listMetrics'),
    getMetricBenchmark: notStubbed('getMetricBenchmark'),
    createRequest: notStubbed('createRequest'),
    listRequests: notStubbed('listRequests'),
    getRequest: notStubbed('getRequest'),
    decideRequest: notStubbed('decideRequest'),
    cancelRequest: notStubbed('cancelRequest'),
    revokeRequest: notStubbed('revokeRequest'),
    getModelUsage: notStubbed('getModelUsage'),
    exportAccessList: notStubbed('exportAccessList'),
    listDeployments: notStubbed('listDeployments'),
    createDeploymentRecord: notStubbed('createDeploymentRecord'),
    updateDeploymentRecord: notStubbed('updateDeploymentRecord'),
    ...overrides,
  } as jest.Mocked<ModelMarketplaceApi>;
}

export function modelSummary(
  name: string,
  overrides: Partial<ModelSummary> = {},
): ModelSummary {
  return {
    ref: `model:default/${name}`,
    name,
    namespace: 'default',
    title: name
      .split('-')
      .map(w => w[0].toUpperCase() + w.slice(1))
      .join(' '),
    description: `The ${name} model.`,
    type: 'llm',
    task: 'text-generation',
    owner: 'group:default/ml-platform',
    license: 'apache-2.0',
    lifecycle: 'production',
    framework: 'pytorch',
    parameters: '8B',
    tags: ['chat'],
    accessPolicy: 'approval',
    runtime: 'vllm',
    defaultVersion: '1.0.0',
    ...overrides,
  };
}

export function listResponse(
  items: ModelSummary[],
  overrides: Partial<ListModelsResponse> = {},
): ListModelsResponse {
  return {
    items,
    totalItems: items.length,
    facets: {
      type: [
        { value: 'llm', count: 12 },
        { value: 'vision', count: 3 },
      ],
      task: [{ value: 'text-generation', count: 10 }],
      license: [{ value: 'apache-2.0', count: 9 }],
      owner: [{ value: 'group:default/ml-platform', count: 14 }],
      lifecycle: [{ value: 'production', count: 15 }],
      framework: [{ value: 'pytorch', count: 13 }],
      tag: [{ value: 'chat', count: 5 }],
    },
    ...overrides,
  };
}

export function modelRequest(
  id: string,
  overrides: Partial<ModelRequest> = {},
): ModelRequest {
  return {
    id,
    model: 'model:default/llama-3-1-8b-instruct',
    version: '1.0.0',
    team: 'group:default/team-assistants',
    purpose: 'Support copilot for the help desk',
    status: 'pending',
    requester: 'user:default/mia.schmidt',
    accessPolicy: 'approval',
    approvers: ['group:default/ml-platform'],
    createdAt: '2026-11-20T10:00:00Z',
    updatedAt: '2026-11-20T10:00:00Z',
    ...overrides,
  };
}

export function modelDetails(
  summary: ModelSummary,
  overrides: Partial<ModelDetails> = {},
): ModelDetails {
  return {
    model: summary,
    versions: [
      {
        version: '1.0.0',
        artifact: 'hf://acme/model',
        default: true,
        metrics: { mmlu: 0.69, gsm8k: 0.84 },
      },
      {
        version: '1.0.0-int4',
        artifact: 's3://acme/model-int4',
        metrics: { mmlu: 0.68, gsm8k: 0.82 },
      },
    ],
    approvers: ['group:default/ml-platform'],
    requestCounts: {
      pending: 1,
      approved: 0,
      rejected: 0,
      cancelled: 0,
      deployed: 0,
      retired: 0,
      revoked: 0,
    },
    deploymentCounts: { total: 1, active: 1 },
    viewer: {
      teams: ['group:default/team-assistants', 'group:default/team-search'],
      canRequest: true,
      isApprover: false,
    },
    ...overrides,
  };
}
