import { MODEL_SERVING_RUNTIMES } from '@aic/plugin-model-marketplace-common';
import { observeRetries } from '@aic/plugin-model-marketplace-node';
import type {
  MetricsService,
  MetricsServiceCounter,
  MetricsServiceHistogram,
} from '@backstage/backend-plugin-api/alpha';
import type { TemplateAction } from '@backstage/plugin-scaffolder-node';
import type { JsonObject } from '@backstage/types';

/** Histogram buckets, in seconds, of a deploy or undeploy. */
export const DEPLOY_DURATION_BUCKETS_S = [1, 2, 5, 10, 30, 60, 120, 300, 600];

const RUNTIMES = new Set<string>(MODEL_SERVING_RUNTIMES);

/** A bounded label value for a serving runtime. */
export function runtimeLabel(runtime: string | undefined): string {
  if (!runtime) {
    return 'unknown';
  }
  return RUNTIMES.has(runtime) ? runtime : 'other';
}

/**
 * How a run of `model:deploy` or `model:undeploy` ended:
 * `succeeded`; `refused` (a check failed before anything was written);
 * `cancelled` (the task was cancelled); `failed` (anything else).
 */
export type ActionOutcome = 'succeeded' | 'refused' | 'cancelled' | 'failed';

/** What the handler tells the metrics about its run while it goes. */
export type ActionRun = {
  /** The serving runtime, once the model is known. */
  runtime?: string;
  /** Set when the checks passed and the run starts writing. */
  writing?: boolean;
  /** Set when the run deleted what it had created, after a failure. */
  rolledBack?: 'succeeded' | 'failed';
};

const runs = new WeakMap<object, ActionRun>();

/**
 * The {@link ActionRun} of a handler's context; a detached one when the
 * action is not instrumented.
 */
export function actionRun(ctx: object): ActionRun {
  return runs.get(ctx) ?? {};
}

type RunLabels = { runtime: string; outcome: ActionOutcome };

/**
 * The metrics of the model actions, created once from Backstage's metrics
 * service (scope `backstage-plugin-scaffolder`, the plugin this module
 * extends). Label values come from small fixed sets: no user, team or
 * model names.
 */
export class ModelActionMetrics {
  private readonly runs: Record<
    'deploy' | 'undeploy',
    MetricsServiceCounter<RunLabels>
  >;
  private readonly duration: MetricsServiceHistogram<RunLabels>;
  private readonly retries: MetricsServiceCounter<{
    action: string;
    reason: string;
  }>;
  private readonly rollbacks: MetricsServiceCounter<{
    runtime: string;
    outcome: 'succeeded' | 'failed';
  }>;

  constructor(service: MetricsService) {
    this.runs = {
      deploy: service.createCounter('model_marketplace.deploys', {
        description: 'Runs of model:deploy, by serving runtime and outcome',
      }),
      undeploy: service.createCounter('model_marketplace.undeploys', {
        description: 'Runs of model:undeploy, by serving runtime and outcome',
      }),
    };
    this.duration = service.createHistogram(
      'model_marketplace.deploy.duration',
      {
        description:
          'Time a model:deploy took, from its checks to ready (or failure)',
        unit: 's',
        advice: { explicitBucketBoundaries: DEPLOY_DURATION_BUCKETS_S },
      },
    );
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

  /**
   * Runs one action handler: counts its outcome, times a deploy, and counts
   * the Kubernetes API retries made within it. Dry runs are not counted.
   */
  async track(
    action: 'deploy' | 'undeploy',
    ctx: { isDryRun?: boolean; signal?: AbortSignal },
    fn: (run: ActionRun) => Promise<void>,
  ): Promise<void> {
    const run: ActionRun = {};
    const start = performance.now();
    let outcome: ActionOutcome = 'failed';
    try {
      await observeRetries(
        reason => this.retries.add(1, { action, reason }),
        () => fn(run),
      );
      outcome = 'succeeded';
    } catch (error) {
      if (ctx.signal?.aborted) {
        outcome = 'cancelled';
      } else if (!run.writing) {
        outcome = 'refused';
      }
      throw error;
    } finally {
      if (!ctx.isDryRun) {
        const labels = { runtime: runtimeLabel(run.runtime), outcome };
        this.runs[action].add(1, labels);
        if (action === 'deploy') {
          this.duration.record((performance.now() - start) / 1000, labels);
        }
        if (run.rolledBack) {
          this.rollbacks.add(1, {
            runtime: labels.runtime,
            outcome: run.rolledBack,
          });
        }
      }
    }
  }

  /**
   * The action with its handler run by {@link ModelActionMetrics.track};
   * the handler reports on its run through {@link actionRun}.
   */
  instrument<I extends JsonObject, O extends JsonObject>(
    action: 'deploy' | 'undeploy',
    templateAction: TemplateAction<I, O>,
  ): TemplateAction<I, O> {
    return {
      ...templateAction,
      handler: ctx =>
        this.track(action, ctx, run => {
          runs.set(ctx, run);
          return templateAction.handler(ctx);
        }),
    };
  }
}
