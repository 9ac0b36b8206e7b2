import type {
  MetricsService,
  MetricsServiceCounter,
  MetricsServiceHistogram,
} from '@backstage/backend-plugin-api/alpha';
import type { PendingRequests } from '../database/RequestStore';

/** The access policies a label may name; anything else is `other`. */
const POLICIES = new Set(['open', 'approval', 'restricted']);

/** A bounded label value for an access policy. */
export function policyLabel(policy: string | undefined): string {
  return policy && POLICIES.has(policy) ? policy : 'other';
}

type PolicyOutcome = { policy: string; outcome: string };
type BrowseLabels = { query: 'text' | 'none'; filtered: 'true' | 'false' };

/** What the observable gauges read when a scrape asks for them. */
export type MarketplaceGaugeSources = {
  /** Models in the browse index. */
  indexSize: () => number;
  /** Pending requests per policy and the creation time of the oldest. */
  pendingRequests: () => Promise<PendingRequests[]>;
  now?: () => number;
};

/** Histogram buckets, in seconds, of the time from request to decision. */
export const DECISION_BUCKETS_S = [
  60,
  300,
  900,
  3600,
  4 * 3600,
  8 * 3600,
  86400,
  3 * 86400,
  7 * 86400,
];
/** Histogram buckets, in seconds, of a browse call. */
export const BROWSE_BUCKETS_S = [
  0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5,
];
/** Histogram buckets of the number of models a browse call matched. */
export const RESULT_SIZE_BUCKETS = [0, 1, 10, 100, 1000, 10000, 100000];

/**
 * The metrics of the marketplace backend, created once from Backstage's
 * metrics service (scope `backstage-plugin-model-marketplace`) and handed to
 * the services that count. Every label value comes from a small fixed set:
 * no user, team or model names. The names and their meaning are listed in
 * the plugin README.
 */
export class MarketplaceMetrics {
  private readonly created: MetricsServiceCounter<PolicyOutcome>;
  private readonly decided: MetricsServiceCounter<PolicyOutcome>;
  private readonly cancelled: MetricsServiceCounter<{ policy: string }>;
  private readonly decisionDuration: MetricsServiceHistogram<PolicyOutcome>;
  private readonly browseDuration: MetricsServiceHistogram<BrowseLabels>;
  private readonly browseResults: MetricsServiceHistogram<BrowseLabels>;
  private readonly retries: MetricsServiceCounter<{
    action: string;
    reason: string;
  }>;
  private readonly rollbacks: MetricsServiceCounter<{
    runtime: string;
    outcome: 'succeeded' | 'failed';
  }>;
  private indexSyncedAt: number | undefined;

  constructor(private readonly service: MetricsService) {
    this.created = service.createCounter('model_marketplace.requests.created', {
      description:
        'Model requests created, by access policy and the status they start in',
    });
    this.decided = service.createCounter('model_marketplace.requests.decided', {
      description: 'Model requests approved or rejected, by access policy',
    });
    this.cancelled = service.createCounter(
      'model_marketplace.requests.cancelled',
      { description: 'Model requests cancelled by their requester' },
    );
    this.decisionDuration = service.createHistogram(
      'model_marketplace.requests.decision.duration',
      {
        description: 'Time from the creation of a request to its decision',
        unit: 's',
        advice: { explicitBucketBoundaries: DECISION_BUCKETS_S },
      },
    );
    this.browseDuration = service.createHistogram(
      'model_marketplace.browse.duration',
      {
        description: 'Time to answer a browse (search and facets) call',
        unit: 's',
        advice: { explicitBucketBoundaries: BROWSE_BUCKETS_S },
      },
    );
    this.browseResults = service.createHistogram(
      'model_marketplace.browse.results',
      {
        description: 'Models a browse call matched (before paging)',
        unit: '{model}',
        advice: { explicitBucketBoundaries: RESULT_SIZE_BUCKETS },
      },
    );
    // The same instruments as model:deploy's (scaffolder module), here with
    // action `reconcile`: the reconciler's own retries and rollbacks.
    this.retries = service.createCounter('model_marketplace.deploy.retries', {
      description:
        'Kubernetes API calls retried by model:deploy and model:undeploy, by reason',
    });
    this.rollbacks = service.createCounter(
      'model_marketplace.deploy.rollbacks',
      {
        description:
          'Failed or cancelled deploys whose created objects were rolled back, by whether the rollback deleted everything',
      },
    );
  }

  /** A Kubernetes API call of the deployment reconciler was retried. */
  reconcilerRetried(reason: string) {
    this.retries.add(1, { action: 'reconcile', reason });
  }

  /**
   * The deployment reconciler rolled back an interrupted deploy (or retried
   * a failed rollback): `succeeded` when everything was deleted. The
   * inventory does not record the serving runtime, hence `unknown`.
   */
  reconcilerRolledBack(outcome: 'succeeded' | 'failed') {
    this.rollbacks.add(1, { runtime: 'unknown', outcome });
  }

  requestCreated(policy: string | undefined, status: string) {
    this.created.add(1, { policy: policyLabel(policy), outcome: status });
  }

  requestDecided(
    request: { accessPolicy?: string; createdAt: string },
    outcome: 'approved' | 'rejected',
    now = Date.now(),
  ) {
    const labels = { policy: policyLabel(request.accessPolicy), outcome };
    this.decided.add(1, labels);
    const created = Date.parse(request.createdAt);
    if (Number.isFinite(created)) {
      this.decisionDuration.record(Math.max(0, (now - created) / 1000), labels);
    }
  }

  requestCancelled(policy: string | undefined) {
    this.cancelled.add(1, { policy: policyLabel(policy) });
  }

  /** Times one browse call; `fn` returns the call's result. */
  async timeBrowse<T extends { totalItems: number }>(
    query: { q?: string; filtered: boolean },
    fn: () => Promise<T>,
  ): Promise<T> {
    const start = performance.now();
    const result = await fn();
    const labels: BrowseLabels = {
      query: query.q ? 'text' : 'none',
      filtered: query.filtered ? 'true' : 'false',
    };
    this.browseDuration.record((performance.now() - start) / 1000, labels);
    this.browseResults.record(result.totalItems, labels);
    return result;
  }

  /**
   * The browse index is in step with the catalog now (a full refresh or a
   * poll of the change feed succeeded); the index lag counts from here.
   */
  indexSynced(at = Date.now()) {
    this.indexSyncedAt = at;
  }

  /** Registers the gauges that are read at each collection. */
  observe(sources: MarketplaceGaugeSources) {
    const now = sources.now ?? Date.now;
    this.service
      .createObservableGauge('model_marketplace.index.models', {
        description: 'Models in the browse index of this replica',
        unit: '{model}',
      })
      .addCallback(result => result.observe(sources.indexSize()));
    this.service
      .createObservableGauge('model_marketplace.index.lag', {
        description:
          'Seconds since the browse index of this replica was last in step with the catalog (last full refresh or change-feed poll)',
        unit: 's',
      })
      .addCallback(result => {
        if (this.indexSyncedAt !== undefined) {
          result.observe(Math.max(0, (now() - this.indexSyncedAt) / 1000));
        }
      });
    const pendingCount = this.service.createObservableGauge<{
      policy: string;
    }>('model_marketplace.requests.pending', {
      description: 'Requests waiting for a decision, by access policy',
      unit: '{request}',
    });
    const pendingAge = this.service.createObservableGauge<{ policy: string }>(
      'model_marketplace.requests.pending.oldest_age',
      {
        description:
          'Age of the oldest request waiting for a decision, by access policy',
        unit: 's',
      },
    );
    // one query serves both gauges of a collection
    let pending:
      | ReturnType<MarketplaceGaugeSources['pendingRequests']>
      | undefined;
    const read = () => {
      pending ??= sources.pendingRequests().finally(() => {
        pending = undefined;
      });
      return pending;
    };
    pendingCount.addCallback(async result => {
      const counts = new Map([...POLICIES].map(p => [p, 0]));
      for (const row of await read()) {
        const policy = policyLabel(row.policy);
        counts.set(policy, (counts.get(policy) ?? 0) + row.count);
      }
      for (const [policy, count] of counts) {
        result.observe(count, { policy });
      }
    });
    // every policy, 0 when none is pending: the SDK would keep reporting
    // the last age of an attribute set that is no longer observed
    pendingAge.addCallback(async result => {
      const ages = new Map([...POLICIES].map(p => [p, 0]));
      for (const row of await read()) {
        const policy = policyLabel(row.policy);
        const age = Math.max(
          0,
          (now() - Date.parse(row.oldestCreatedAt)) / 1000,
        );
        ages.set(policy, Math.max(ages.get(policy) ?? 0, age));
      }
      for (const [policy, age] of ages) {
        result.observe(age, { policy });
      }
    });
  }
}
