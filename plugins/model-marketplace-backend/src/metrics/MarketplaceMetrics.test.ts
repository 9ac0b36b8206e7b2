import { onDemandMeter } from '../__testUtils__/onDemandMeter';
import { MarketplaceMetrics, policyLabel } from './MarketplaceMetrics';

function setup() {
  const { meter, points } = onDemandMeter();
  return { metrics: new MarketplaceMetrics(meter), points };
}

describe('MarketplaceMetrics', () => {
  it('counts requests by policy and outcome and times decisions', async () => {
    const { metrics, points } = setup();
    metrics.requestCreated('approval', 'pending');
    metrics.requestCreated('open', 'approved');
    metrics.requestCreated('something-new', 'pending');
    const now = Date.parse('2026-12-01T12:00:00Z');
    metrics.requestDecided(
      { accessPolicy: 'approval', createdAt: '2026-12-01T11:00:00Z' },
      'approved',
      now,
    );
    metrics.requestCancelled('restricted');

    expect(await points('model_marketplace.requests.created')).toEqual([
      { attributes: { policy: 'approval', outcome: 'pending' }, value: 1 },
      { attributes: { policy: 'open', outcome: 'approved' }, value: 1 },
      { attributes: { policy: 'other', outcome: 'pending' }, value: 1 },
    ]);
    expect(await points('model_marketplace.requests.cancelled')).toEqual([
      { attributes: { policy: 'restricted' }, value: 1 },
    ]);
    const [decision] = await points(
      'model_marketplace.requests.decision.duration',
    );
    expect(decision.attributes).toEqual({
      policy: 'approval',
      outcome: 'approved',
    });
    expect(decision.value).toMatchObject({ count: 1, sum: 3600 });
  });

  it('times browse calls and records how many models they matched', async () => {
    const { metrics, points } = setup();
    const result = await metrics.timeBrowse(
      { q: 'llama', filtered: true },
      async () => ({ totalItems: 42, items: [] }),
    );
    expect(result.totalItems).toBe(42);
    await metrics.timeBrowse({ filtered: false }, async () => ({
      totalItems: 7,
    }));
    const sizes = await points('model_marketplace.browse.results');
    expect(
      sizes.map(s => [s.attributes, (s.value as { sum: number }).sum]),
    ).toEqual([
      [{ query: 'text', filtered: 'true' }, 42],
      [{ query: 'none', filtered: 'false' }, 7],
    ]);
    const [duration] = await points('model_marketplace.browse.duration');
    expect(duration.value).toMatchObject({ count: 1 });
  });

  it('reads the gauges at each collection; an age drops to 0 with its last pending request', async () => {
    const { metrics, points } = setup();
    let now = Date.parse('2026-12-02T12:00:00Z');
    let pending = [
      { policy: 'approval', count: 2, oldestCreatedAt: '2026-12-01T10:00:00Z' },
    ];
    let reads = 0;
    metrics.observe({
      indexSize: () => 18,
      pendingRequests: async () => {
        reads += 1;
        return pending;
      },
      now: () => now,
    });

    expect(await points('model_marketplace.index.models')).toEqual([
      { attributes: {}, value: 18 },
    ]);
    // before the first sync, no lag is reported
    expect(await points('model_marketplace.index.lag')).toEqual([]);
    metrics.indexSynced(now - 1500);
    expect(await points('model_marketplace.index.lag')).toEqual([
      { attributes: {}, value: 1.5 },
    ]);

    expect(await points('model_marketplace.requests.pending')).toEqual([
      { attributes: { policy: 'open' }, value: 0 },
      { attributes: { policy: 'approval' }, value: 2 },
      { attributes: { policy: 'restricted' }, value: 0 },
    ]);
    expect(
      await points('model_marketplace.requests.pending.oldest_age'),
    ).toEqual([
      { attributes: { policy: 'open' }, value: 0 },
      { attributes: { policy: 'approval' }, value: 26 * 3600 },
      { attributes: { policy: 'restricted' }, value: 0 },
    ]);

    pending = [];
    now += 1000;
    expect(
      (await points('model_marketplace.requests.pending.oldest_age')).map(
        p => p.value,
      ),
    ).toEqual([0, 0, 0]);
    expect(
      (await points('model_marketplace.requests.pending')).find(
        p => p.attributes.policy === 'approval',
      )?.value,
    ).toBe(0);
    // one query per collection serves both request gauges
    const before = reads;
    await points('model_marketplace.requests.pending');
    expect(reads - before).toBe(1);
  });

  it('keeps policy labels bounded', () => {
    expect(policyLabel('approval')).toBe('approval');
    expect(policyLabel(undefined)).toBe('other');
    expect(policyLabel('team-x-special')).toBe('other');
  });
});
