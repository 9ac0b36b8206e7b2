import type {
  AuthService,
  BackstageCredentials,
} from '@backstage/backend-plugin-api';
import { NotFoundError } from '@backstage/errors';
import {
  type ListModelsResponse,
  MODEL_FACET_FIELDS,
  type ModelDetails,
  type ModelFacetField,
  type ModelSortOrder,
} from '@aic/plugin-model-marketplace-common';
import type { DeploymentStore } from '../database/DeploymentStore';
import type { RequestStore } from '../database/RequestStore';
import type { ModelIndex } from '../index/ModelIndex';
import type { MarketplaceMetrics } from '../metrics/MarketplaceMetrics';
import { modelApprovers, toGroupRef } from '../index/modelSummary';
import type { CatalogMembership } from './CatalogMembership';
import { decodeCursor, encodeCursor, fingerprint } from './cursor';
import { benchmarkModelMetric, listModelMetrics } from './metricBenchmark';
import type { ModelCardReader } from './ModelCardReader';
import type { ModelVisibility } from './ModelVisibility';
import { safeGroupRef, userRefOf } from './refs';
import { deployEligibility } from './deployEligibility';

/** A `GET /models` query. */
export type ModelListQuery = Partial<Record<ModelFacetField, string[]>> & {
  q?: string;
  sort?: ModelSortOrder;
  limit?: number;
  cursor?: string;
};

/**
 * Browsing the marketplace: search and facets over the models the caller
 * may read, one model with what the caller may do with it, metrics and
 * model cards.
 */
export class ModelCatalog {
  constructor(
    private readonly deps: {
      auth: AuthService;
      index: ModelIndex;
      visibility: ModelVisibility;
      membership: CatalogMembership;
      requests: RequestStore;
      deployments: DeploymentStore;
      /** Reads model cards; without it the card answers 404. */
      modelCards?: ModelCardReader;
      metrics?: MarketplaceMetrics;
    },
  ) {}

  async list(
    credentials: BackstageCredentials,
    query: ModelListQuery,
  ): Promise<ListModelsResponse> {
    const filters: Record<string, string[]> = {};
    for (const field of MODEL_FACET_FIELDS) {
      const values = query[field];
      if (values?.length) {
        filters[field] = field === 'owner' ? values.map(safeGroupRef) : values;
      }
    }
    const q = query.q?.trim() || undefined;
    const sort = query.sort ?? (q ? 'relevance' : 'name');
    const limit = query.limit ?? 24;
    const print = fingerprint({ q, filters, sort });
    const offset = query.cursor ? decodeCursor(query.cursor, print) : 0;

    const { index, visibility, metrics } = this.deps;
    await index.whenReady();
    const search = async () => {
      const visible = await visibility.filterFor(credentials);
      return index.search({ q, filters, sort, limit, offset }, visible);
    };
    const result = metrics
      ? await metrics.timeBrowse(
          { q, filtered: Object.keys(filters).length > 0 },
          search,
        )
      : await search();
    return {
      ...result,
      ...(offset + limit < result.totalItems
        ? { nextCursor: encodeCursor(offset + limit, print) }
        : {}),
    };
  }

  async metrics(credentials: BackstageCredentials) {
    return listModelMetrics(
      await this.deps.visibility.visibleModels(credentials),
    );
  }

  async benchmark(credentials: BackstageCredentials, metric: string) {
    const body = benchmarkModelMetric(
      await this.deps.visibility.visibleModels(credentials),
      metric,
    );
    if (body.items.length === 0) {
      throw new NotFoundError(`No model reports metric ${metric}`);
    }
    return body;
  }

  async card(credentials: BackstageCredentials, ref: string): Promise<string> {
    const model = await this.deps.visibility.find(credentials, ref);
    if (!this.deps.modelCards) {
      throw new NotFoundError('Model cards are not available');
    }
    return this.deps.modelCards.read(model.entity);
  }

  async details(
    credentials: BackstageCredentials,
    ref: string,
  ): Promise<ModelDetails> {
    const model = await this.deps.visibility.find(credentials, ref);
    const entity = model.entity;
    const approvers = modelApprovers(entity);
    const allowedGroups = entity.spec.access?.allowedGroups?.map(g =>
      toGroupRef(g, model.summary.namespace),
    );
    let viewer: ModelDetails['viewer'] = {
      teams: [],
      canRequest: false,
      isApprover: false,
    };
    const userRef = userRefOf(this.deps.auth, credentials);
    if (userRef) {
      const groups = await this.deps.membership.groupsOf(userRef);
      const claims = [userRef, ...groups];
      viewer = {
        teams: groups,
        canRequest:
          groups.length > 0 &&
          (model.summary.accessPolicy !== 'restricted' ||
            (allowedGroups ?? []).some(g => groups.includes(g))),
        isApprover: approvers.some(a => claims.includes(a)),
        deploy: await deployEligibility({
          modelRef: model.summary.ref,
          policy: model.summary.accessPolicy,
          teams: groups,
          requests: this.deps.requests,
        }),
      };
    }
    const [requestCounts, deploymentCounts] = await Promise.all([
      this.deps.requests.countByStatus(ref),
      this.deps.deployments.countForModel(ref),
    ]);
    return {
      model: model.summary,
      versions: entity.spec.versions,
      approvers,
      ...(allowedGroups ? { allowedGroups } : {}),
      ...(entity.spec.access?.termsUrl
        ? { termsUrl: entity.spec.access.termsUrl }
        : {}),
      ...(entity.spec.access?.questions?.length
        ? { questions: entity.spec.access.questions }
        : {}),
      requestCounts,
      deploymentCounts,
      viewer,
    };
  }
}
