import { MeterProvider, MetricReader } from '@opentelemetry/sdk-metrics';
// the Kubernetes client's retry loop, internal to the node library
// eslint-disable-next-line @backstage/no-relative-monorepo-imports
import { withRetry } from '../../model-marketplace-node/src/retryPolicy';
import { createMockActionContext } from '@backstage/plugin-scaffolder-node-test-utils';
import {
  ModelActionMetrics,
  actionRun,
  runtimeLabel,
} from './ModelActionMetrics';

/** A reader that collects on demand, as a Prometheus scrape does. */
class OnDemandReader extends MetricReader {
  protected async onForceFlush() {}
  protected async onShutdown() {}
}

async function setup() {
  const reader = new OnDemandReader();
  const provider = new MeterProvider({ readers: [reader] });
  const metrics = new ModelActionMetrics(provider.getMeter('test'));
  /** The data points of one instrument: attributes and value. */
  const points = async (name: string) => {
    const { resourceMetrics } = await reader.collect();
    const metric = resourceMetrics.scopeMetrics
      .flatMap(s => s.metrics)
      .find(m => m.descriptor.name === name);
    return (metric?.dataPoints ?? []).map(p => ({
      attributes: p.attributes,
      value: p.value,
    }));
  };
  return { metrics, points, provider };
}

describe('ModelActionMetrics', () => {
  it('counts each outcome of a deploy by runtime, and times it', async () => {
    const { metrics, points } = await setup();
    await metrics.track('deploy', {}, async run => {
      run.runtime = 'vllm';
      run.writing = true;
    });
    // a check failed before anything was written
    await expect(
      metrics.track('deploy', {}, async run => {
        run.runtime = 'tgi';
        throw new Error('not a member of the team');
      }),
    ).rejects.toThrow('not a member');
    // failed while writing, and rolled back
    await expect(
      metrics.track('deploy', {}, async run => {
        run.runtime = 'kserve';
        run.writing = true;
        run.rolledBack = 'failed';
        throw new Error('ProgressDeadlineExceeded');
      }),
    ).rejects.toThrow('Progress');
    // cancelled
    const cancel = new AbortController();
    cancel.abort();
    await expect(
      metrics.track('deploy', { signal: cancel.signal }, async run => {
        run.runtime = 'vllm';
        run.writing = true;
        throw new Error('Deploy cancelled');
      }),
    ).rejects.toThrow('cancelled');
    // a dry run is not counted
    await metrics.track('deploy', { isDryRun: true }, async run => {
      run.runtime = 'vllm';
    });

    expect(await points('model_marketplace.deploys')).toEqual(
      expect.arrayContaining([
        { attributes: { runtime: 'vllm', outcome: 'succeeded' }, value: 1 },
        { attributes: { runtime: 'tgi', outcome: 'refused' }, value: 1 },
        { attributes: { runtime: 'kserve', outcome: 'failed' }, value: 1 },
        { attributes: { runtime: 'vllm', outcome: 'cancelled' }, value: 1 },
      ]),
    );
    expect(await points('model_marketplace.deploys')).toHaveLength(4);
    expect(await points('model_marketplace.deploy.rollbacks')).toEqual([
      { attributes: { runtime: 'kserve', outcome: 'failed' }, value: 1 },
    ]);
    const durations = await points('model_marketplace.deploy.duration');
    expect(durations).toHaveLength(4);
    const succeeded = durations.find(d => d.attributes.outcome === 'succeeded')!
      .value as { count: number; buckets: { boundaries: number[] } };
    expect(succeeded.count).toBe(1);
    expect(succeeded.buckets.boundaries).toEqual([
      1, 2, 5, 10, 30, 60, 120, 300, 600,
    ]);
  });

  it('counts undeploys without a duration, and Kubernetes retries by reason', async () => {
    const { metrics, points } = await setup();
    await metrics.track('undeploy', {}, async run => {
      run.runtime = 'container';
      run.writing = true;
      // the Kubernetes client's retry loop: throttled, then a 503
      let attempts = 0;
      await withRetry(
        async () => {
          attempts += 1;
          if (attempts < 3) {
            throw Object.assign(new Error('try again'), {
              code: attempts === 1 ? 429 : 503,
            });
          }
        },
        { baseDelayMs: 1 },
      );
    });
    expect(await points('model_marketplace.undeploys')).toEqual([
      { attributes: { runtime: 'container', outcome: 'succeeded' }, value: 1 },
    ]);
    expect(await points('model_marketplace.deploy.duration')).toEqual([]);
    expect(await points('model_marketplace.deploy.retries')).toEqual([
      { attributes: { action: 'undeploy', reason: 'throttled' }, value: 1 },
      { attributes: { action: 'undeploy', reason: 'server-error' }, value: 1 },
    ]);
  });

  it('hands the run to the instrumented handler through its context', async () => {
    const { metrics, points } = await setup();
    const action = metrics.instrument('deploy', {
      id: 'model:deploy',
      handler: async ctx => {
        actionRun(ctx).runtime = 'tgi';
        actionRun(ctx).writing = true;
      },
    });
    expect(action.id).toBe('model:deploy');
    await action.handler(createMockActionContext());
    expect(await points('model_marketplace.deploys')).toEqual([
      { attributes: { runtime: 'tgi', outcome: 'succeeded' }, value: 1 },
    ]);
    // outside an instrumented action, a detached run
    expect(actionRun({})).toEqual({});
  });

  it('keeps runtime labels bounded', () => {
    expect(runtimeLabel('vllm')).toBe('vllm');
    expect(runtimeLabel('my-own-runtime')).toBe('other');
    expect(runtimeLabel(undefined)).toBe('unknown');
  });
});
