import { mockServices, TestDatabases } from '@backstage/backend-test-utils';
import { Entity } from '@backstage/catalog-model';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import {
  modelChangeKey,
  modelFingerprint,
} from '@aic/plugin-model-marketplace-common';
import { testModel } from '../__testUtils__/exampleEntities';
import { eventually } from '../__testUtils__/eventually';
import { DatabaseModelChangeFeed } from './DatabaseModelChangeFeed';
import {
  countInterval,
  countsShow,
  ModelChangeFollower,
  nextFlushDelay,
  retryDelay,
} from './ModelChangeFollower';
import { ModelIndex } from './ModelIndex';

jest.setTimeout(60_000);

const databases = TestDatabases.create({ ids: ['POSTGRES_17', 'SQLITE_3'] });

const model = (name: string, title: string, etag = '1') =>
  testModel(name, { title }, etag);

/** What the catalog module announces for an entity it processed. */
const announcement = (e: Entity) => ({
  entityRef: modelChangeKey(e),
  fingerprint: modelFingerprint(e),
});

describe.each(databases.eachSupportedId())(
  'ModelChangeFollower on %p',
  databaseId => {
    /** A catalog whose entities the test replaces, counting fetched refs. */
    function catalog(initial: Entity[]) {
      const state = {
        entities: initial,
        fetched: [] as string[],
        listings: 0,
        counts: 0,
        facetQueries: 0,
      };
      const service = catalogServiceMock.mock({
        queryEntities: async (req, opts) => {
          if (req && 'filter' in req && req.limit !== 1) state.listings += 1;
          if (req && 'filter' in req && req.limit === 1) state.counts += 1;
          return catalogServiceMock({
            entities: state.entities,
          }).queryEntities(req, opts);
        },
        getEntitiesByRefs: async (req, opts) => {
          state.fetched.push(...req.entityRefs);
          return catalogServiceMock({
            entities: state.entities,
          }).getEntitiesByRefs(req, opts);
        },
        getEntityFacets: async (req, opts) => {
          state.facetQueries += 1;
          return catalogServiceMock({
            entities: state.entities,
          }).getEntityFacets(req, opts);
        },
      });
      return { state, service };
    }

    async function replica(
      changes: DatabaseModelChangeFeed,
      service: ReturnType<typeof catalog>['service'],
      timing: {
        countIntervalMs?: number;
        now?: () => number;
        floodApplyMs?: number;
      } = {},
    ) {
      const index = new ModelIndex({
        catalog: service,
        auth: mockServices.auth(),
        logger: mockServices.logger.mock(),
      });
      const follower = new ModelChangeFollower({
        index,
        catalog: service,
        auth: mockServices.auth(),
        logger: mockServices.logger.mock(),
        feed: changes,
        // a count at every poll: no interval, and a clock that stands still
        // (so no count seems to take time)
        countIntervalMs: 0,
        now: () => 0,
        ...timing,
      });
      await follower.start();
      await index.refresh();
      return { index, follower };
    }

    /**
     * A replica counting on a clock the test sets (`clock.now`), with
     * `counts(at)`: how many counts of the catalog a poll at `at` reads.
     */
    async function clockedReplica(
      changes: DatabaseModelChangeFeed,
      { state, service }: ReturnType<typeof catalog>,
      clock: { now: number },
    ) {
      const a = await replica(changes, service, {
        countIntervalMs: 1000,
        now: () => clock.now,
      });
      const counts = async (at: number) => {
        clock.now = at;
        const before = state.counts;
        await a.follower.poll();
        return state.counts - before;
      };
      return { ...a, counts };
    }

    async function feed() {
      const knex = await databases.init(databaseId);
      const database = mockServices.database({
        knex,
        migrations: { skip: false },
      });
      return { knex, feed: await DatabaseModelChangeFeed.create({ database }) };
    }

    const titles = (index: ModelIndex) =>
      index
        .search({ filters: {}, sort: 'name', offset: 0, limit: 10 })
        .items.map(i => i.title);

    it('fetches an announced change once the catalog serves it, and shares it through the feed', async () => {
      const { feed: changes, knex } = await feed();
      const { state, service } = catalog([model('alpha', 'Alpha')]);
      const a = await replica(changes, service);
      const b = await replica(changes, service);
      expect(titles(a.index)).toEqual(['Alpha']);

      // announced before the catalog serves it (processing precedes stitching)
      const renamed = model('alpha', 'Alpha renamed', '2');
      state.fetched.length = 0;
      a.follower.announcedHere(announcement(renamed));
      await eventually(() => expect(state.fetched.length).toBeGreaterThan(1));
      expect(titles(a.index)).toEqual(['Alpha']);
      state.entities = [renamed];
      await eventually(() =>
        expect(titles(a.index)).toEqual(['Alpha renamed']),
      );

      // replica B learns it from the feed, without listing the catalog
      const listings = state.listings;
      await b.follower.poll();
      await eventually(() =>
        expect(titles(b.index)).toEqual(['Alpha renamed']),
      );
      expect(state.listings).toBe(listings);
      const rows = await knex('model_index_changes').select('entity_ref');
      expect(rows).toEqual([{ entity_ref: 'model:default/alpha' }]);

      // an announcement of what the index holds costs no fetch
      state.fetched.length = 0;
      b.follower.follow([announcement(renamed)]);
      await new Promise(r => setTimeout(r, 50));
      expect(state.fetched).toEqual([]);
      a.follower.stop();
      b.follower.stop();
    });

    it('notices a deletion by the catalog count and drops the model, found from the uids the catalog serves instead of a listing', async () => {
      const { feed: changes } = await feed();
      const { state, service } = catalog([
        model('alpha', 'Alpha'),
        model('beta', 'Beta'),
      ]);
      const a = await replica(changes, service);
      expect(titles(a.index)).toEqual(['Alpha', 'Beta']);
      const listings = state.listings;
      state.fetched.length = 0;
      await a.follower.poll();
      // same count: nothing looked up
      expect(state.fetched).toEqual([]);
      expect(state.facetQueries).toBe(0);

      state.entities = [model('beta', 'Beta')];
      await a.follower.poll();
      expect(titles(a.index)).toEqual(['Beta']);
      // one query of the served uids; only the missing one confirmed by ref
      expect(state.facetQueries).toBe(1);
      expect(state.fetched).toEqual(['model:default/alpha']);
      expect(state.listings).toBe(listings);
      a.follower.stop();
    });

    it('keeps the back-off of its own announcement when the feed brings it back', async () => {
      const { feed: changes } = await feed();
      const looks: number[] = [];
      const { state, service } = catalog([]);
      service.getEntitiesByRefs.mockImplementation(async (req, opts) => {
        looks.push(performance.now());
        return catalogServiceMock({
          entities: state.entities,
        }).getEntitiesByRefs(req, opts);
      });
      const a = await replica(changes, service);
      // announced, not served yet: looked up at once, then after 250 ms
      const gamma = model('gamma', 'Gamma');
      a.follower.announcedHere(announcement(gamma));
      await eventually(() => expect(looks).toHaveLength(1));
      // the feed brings the same announcement back: no look before the 250 ms
      await a.follower.poll();
      await eventually(() => expect(looks.length).toBeGreaterThanOrEqual(2));
      expect(looks[1] - looks[0]).toBeGreaterThanOrEqual(245);
      state.entities = [gamma];
      await eventually(() => expect(titles(a.index)).toEqual(['Gamma']));
      a.follower.stop();
    });

    it('reads the catalog count less often while a flood of announcements is followed', async () => {
      const { feed: changes } = await feed();
      const { state, service } = catalog([]);
      const a = await clockedReplica(changes, { state, service }, { now: 0 });
      const counts = a.counts;
      expect(await counts(1000)).toBe(1);
      // 1,200 announced models the catalog does not serve yet
      const flood = Array.from({ length: 1200 }, (_, i) =>
        model(`m${i}`, `M${i}`),
      );
      a.follower.follow(flood.map(announcement));
      expect(await counts(2000)).toBe(0);
      expect(await counts(11_500)).toBe(0);
      expect(await counts(13_000)).toBe(1);
      // the flood served and followed: every second again
      state.entities = flood;
      await eventually(() => expect(a.index.size).toBe(1200), 60_000);
      expect(await counts(14_000)).toBe(1);
      a.follower.stop();
    });

    it('reads the catalog count less often when the catalog takes long to answer it', async () => {
      const { feed: changes } = await feed();
      const alpha = model('alpha', 'Alpha');
      const beta = model('beta', 'Beta');
      const { state, service } = catalog([alpha, beta]);
      const clock = { now: 0 };
      let countTakesMs = 0;
      const slowCount = catalogServiceMock.mock({
        queryEntities: async (req, opts) => {
          const answer = await service.queryEntities(req, opts);
          if (req && 'filter' in req && req.limit === 1) {
            clock.now += countTakesMs;
          }
          return answer;
        },
        getEntitiesByRefs: (req, opts) => service.getEntitiesByRefs(req, opts),
        getEntityFacets: (req, opts) => service.getEntityFacets(req, opts),
      });
      const a = await clockedReplica(
        changes,
        { state, service: slowCount },
        clock,
      );
      const counts = a.counts;
      expect(await counts(1000)).toBe(1);
      expect(await counts(1500)).toBe(0);
      // a poll a few milliseconds early for a count due every second
      expect(await counts(1990)).toBe(1);
      // counts that take 100 ms: the next one 20 times that later
      countTakesMs = 100;
      for (const at of [2990, 3990, 4990, 5990, 6990]) {
        expect(await counts(at)).toBe(1);
      }
      // the five kept times are all 100 ms now: 2 s apart
      expect(await counts(8500)).toBe(0);
      expect(await counts(8800)).toBe(1);
      // one quick answer among them is what a count costs: every second again
      countTakesMs = 10;
      expect(await counts(10_800)).toBe(1);
      // and one slow answer (the catalog busy meanwhile) does not change that
      countTakesMs = 2000;
      expect(await counts(11_800)).toBe(1);
      countTakesMs = 10;
      // a deletion is seen at the next count
      state.entities = [beta];
      expect(await counts(14_800)).toBe(1);
      expect(titles(a.index)).toEqual(['Beta']);
      expect(await counts(15_810)).toBe(1);
      a.follower.stop();
    });

    it('notices a deletion right after an announced addition (the count unchanged since the last listing)', async () => {
      const { feed: changes } = await feed();
      const alpha = model('alpha', 'Alpha');
      const beta = model('beta', 'Beta');
      const { state, service } = catalog([alpha, beta]);
      const a = await replica(changes, service);
      // an addition followed before any count was read...
      const gamma = model('gamma', 'Gamma');
      state.entities = [alpha, beta, gamma];
      a.follower.announcedHere(announcement(gamma));
      await eventually(() =>
        expect(titles(a.index)).toEqual(['Alpha', 'Beta', 'Gamma']),
      );
      // ...then a deletion: the catalog counts 2 again, as at the listing
      state.entities = [beta, gamma];
      await a.follower.poll();
      expect(titles(a.index)).toEqual(['Beta', 'Gamma']);
      a.follower.stop();
    });

    it('does not list the whole catalog while it ingests models whose announcements are followed', async () => {
      const { feed: changes } = await feed();
      const { state, service } = catalog([model('alpha', 'Alpha')]);
      const a = await replica(changes, service);
      const listings = state.listings;
      // announced, served without waiting: the count rises meanwhile
      const added = ['beta', 'gamma', 'delta'].map(n => model(n, n));
      for (const m of added) {
        state.entities = [...state.entities, m];
        a.follower.announcedHere(announcement(m));
        await a.follower.poll();
      }
      // announced, not served yet (still stitching): followed, not listed
      const epsilon = model('epsilon', 'Epsilon');
      a.follower.announcedHere(announcement(epsilon));
      const zeta = model('zeta', 'Zeta');
      state.entities = [...state.entities, zeta];
      await a.follower.poll();
      await a.follower.poll();
      expect(state.listings).toBe(listings);
      state.entities = [...state.entities, epsilon];
      await eventually(() => expect(a.index.size).toBe(5));
      expect(a.index.get('model:default/zeta')).toBeUndefined();

      // the count stands still and nothing is followed: the one model whose
      // announcement never came is found by a listing
      await a.follower.poll();
      await a.follower.poll();
      expect(state.listings).toBe(listings + 1);
      expect(a.index.get('model:default/zeta')?.entity.metadata.title).toBe(
        'Zeta',
      );
      a.follower.stop();
    });

    it('holds fetched changes during a flood and puts them into the index together', async () => {
      const { feed: changes } = await feed();
      const flood = Array.from({ length: 1600 }, (_, i) =>
        model(`m${i}`, `M${i}`),
      );
      const { state, service } = catalog([]);
      const a = await replica(changes, service, { floodApplyMs: 600_000 });
      const applied = jest.spyOn(a.index, 'applyChanges');
      // the catalog listed nothing at the first refresh; now 1,600 arrive
      state.entities = flood;
      a.follower.follow(flood.map(announcement));
      await eventually(() => expect(a.index.size).toBe(1600), 60_000);
      // batches of 500: the first goes in at once, the second is held while
      // more than 500 wait, the third ends the flood and takes both in
      expect(applied.mock.calls.map(([upserts]) => upserts.length)).toEqual([
        500, 1000, 100,
      ]);
      a.follower.stop();
    });

    it('adds a model announced here that the catalog serves at once', async () => {
      const { feed: changes } = await feed();
      const { state, service } = catalog([]);
      const a = await replica(changes, service);
      const gamma = model('gamma', 'Gamma');
      state.entities = [gamma];
      a.follower.announcedHere(announcement(gamma));
      await eventually(() => expect(titles(a.index)).toEqual(['Gamma']));
      a.follower.stop();
    });
  },
);

describe('countsShow', () => {
  const counts = (
    indexed: number | undefined,
    served: number,
    previouslyServed: number | undefined,
    following = false,
  ) => countsShow({ indexed, served, previouslyServed, following });

  it('sees a deletion whenever the catalog serves fewer models than indexed', () => {
    expect(counts(10, 9, 12)).toBe('deletion');
    expect(counts(10, 9, 9, true)).toBe('deletion');
  });

  it('waits while the catalog ingests or announced changes are followed', () => {
    // rising count: ingestion, followed through announcements
    expect(counts(10, 15, 12)).toBeUndefined();
    expect(counts(10, 15, undefined)).toBeUndefined();
    // standing count, but announced changes still pending
    expect(counts(10, 15, 15, true)).toBeUndefined();
    // standing and nothing pending: an addition nobody announced
    expect(counts(10, 15, 15)).toBe('unannounced');
  });

  it('agrees when the counts match or before the first full refresh', () => {
    expect(counts(10, 10, 8)).toBeUndefined();
    expect(counts(undefined, 10, 10)).toBeUndefined();
  });
});

describe('retryDelay', () => {
  it('doubles from 250 ms and stays at 2 s', () => {
    expect([1, 2, 3, 4, 5, 30].map(a => retryDelay(a))).toEqual([
      250, 500, 1000, 2000, 2000, 2000,
    ]);
  });

  it('doubles on up to 30 s during a flood', () => {
    expect([1, 4, 5, 6, 7, 8, 30].map(a => retryDelay(a, true))).toEqual([
      250, 2000, 4000, 8000, 16_000, 30_000, 30_000,
    ]);
  });
});

describe('countInterval', () => {
  it('is the requested interval while counts are quick, 20 times a count up to 5 s otherwise, 12 times that in a flood', () => {
    const at = (countMs: number, flooded = false) =>
      countInterval({ requestedMs: 1000, countMs, flooded });
    expect([0, 20, 50, 80, 100, 250, 400].map(ms => at(ms))).toEqual([
      1000, 1000, 1000, 1600, 2000, 5000, 5000,
    ]);
    // a longer interval asked for is kept
    expect(
      countInterval({ requestedMs: 8000, countMs: 10, flooded: false }),
    ).toBe(8000);
    expect([at(0, true), at(100, true)]).toEqual([12_000, 24_000]);
  });
});

describe('nextFlushDelay', () => {
  it('spaces flushes during a flood and lets a change after a quiet spell through at once', () => {
    // a flood: the last flush took 4 s and ended 1 s ago: wait 7 s more
    expect(
      nextFlushDelay({
        requestedMs: 0,
        lastFlushMs: 4000,
        lastFlushEnd: 10_000,
        now: 11_000,
      }),
    ).toBe(7000);
    // quiet for longer than twice that: at once (or after the retry delay)
    expect(
      nextFlushDelay({
        requestedMs: 0,
        lastFlushMs: 4000,
        lastFlushEnd: 10_000,
        now: 60_000,
      }),
    ).toBe(0);
    expect(
      nextFlushDelay({
        requestedMs: 250,
        lastFlushMs: 4000,
        lastFlushEnd: 10_000,
        now: 60_000,
      }),
    ).toBe(250);
  });
});
