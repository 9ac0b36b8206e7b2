import { mockServices } from '@backstage/backend-test-utils';
import { Entity } from '@backstage/catalog-model';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { ModelEntity } from '@aic/plugin-model-marketplace-common';
import { compactShare, ModelIndex } from './ModelIndex';
import { testModel } from '../__testUtils__/exampleEntities';

const model = (name: string, description: string, etag = '1') =>
  testModel(name, { description }, etag);

describe('ModelIndex', () => {
  it('follows the catalog: new, changed and deleted models, fetching only changes', async () => {
    let entities: Entity[] = [model('alpha', 'first'), model('beta', 'second')];
    const fetchedRefs: string[] = [];
    const catalog = catalogServiceMock.mock({
      queryEntities: async (req, opts) =>
        catalogServiceMock({ entities }).queryEntities(req, opts),
      getEntitiesByRefs: async (req, opts) => {
        fetchedRefs.push(...req.entityRefs);
        return catalogServiceMock({ entities }).getEntitiesByRefs(req, opts);
      },
    });
    let now = 1000;
    const index = new ModelIndex({
      catalog,
      auth: mockServices.auth(),
      logger: mockServices.logger.mock(),
      pageSize: 1,
      now: () => now,
    });
    const search = (q?: string) =>
      index
        .search({
          q,
          filters: {},
          sort: q ? 'relevance' : 'name',
          limit: 10,
          offset: 0,
        })
        .items.map(i => i.name);

    expect(await index.refresh()).toEqual({ added: 2, changed: 0, removed: 0 });
    expect(search()).toEqual(['alpha', 'beta']);
    expect(fetchedRefs).toHaveLength(2);

    fetchedRefs.length = 0;
    expect(await index.refresh()).toEqual({ added: 0, changed: 0, removed: 0 });
    expect(fetchedRefs).toEqual([]);

    now = 2000;
    entities = [
      model('alpha', 'first, now rewritten', '2'),
      model('gamma', 'third'),
    ];
    expect(await index.refresh()).toEqual({ added: 1, changed: 1, removed: 1 });
    expect(fetchedRefs.sort()).toEqual([
      'model:default/alpha',
      'model:default/gamma',
    ]);
    expect(search()).toEqual(['alpha', 'gamma']);
    expect(search('rewrit')).toEqual(['alpha']);
    expect(search('second')).toEqual([]);
    expect(
      index.search({ filters: {}, sort: 'updated', limit: 10, offset: 0 })
        .items[0].name,
    ).toBe('alpha');
  });

  it('drops the models the catalog no longer serves, found from one facet query of uids, keeping one announced again meanwhile', async () => {
    const alpha = model('alpha', 'first');
    const beta = model('beta', 'second');
    const gamma = model('gamma', 'third');
    let entities: Entity[] = [alpha, beta, gamma];
    let duringQuery = () => {};
    const catalog = catalogServiceMock.mock({
      queryEntities: async (req, opts) =>
        catalogServiceMock({ entities }).queryEntities(req, opts),
      getEntitiesByRefs: async (req, opts) =>
        catalogServiceMock({ entities }).getEntitiesByRefs(req, opts),
      getEntityFacets: async (req, opts) => {
        const answer = await catalogServiceMock({
          entities,
        }).getEntityFacets(req, opts);
        duringQuery();
        return answer;
      },
    });
    const index = new ModelIndex({
      catalog,
      auth: mockServices.auth(),
      logger: mockServices.logger.mock(),
      pageSize: 2,
    });
    await index.refresh();
    expect(index.catalogCount).toBe(3);

    // alpha and gamma are deleted; gamma is registered again (a new uid)
    // and followed while the query runs
    entities = [beta];
    const gammaAgain = {
      ...gamma,
      metadata: { ...gamma.metadata, uid: 'gamma-again', etag: '2' },
    };
    duringQuery = () => {
      index.applyChanges([gammaAgain as ModelEntity], []);
    };
    const listings = catalog.queryEntities.mock.calls.length;
    const lookups = catalog.getEntitiesByRefs.mock.calls.length;
    expect(await index.dropDeleted()).toEqual({ removed: 1 });

    // one facet query, no listing; only the two missing uids looked up by ref
    expect(catalog.getEntityFacets.mock.calls.map(([req]) => req)).toEqual([
      { filter: { kind: 'model' }, facets: ['metadata.uid'] },
    ]);
    expect(catalog.queryEntities.mock.calls.length).toBe(listings);
    expect(
      catalog.getEntitiesByRefs.mock.calls
        .slice(lookups)
        .map(([req]) => req.entityRefs),
    ).toEqual([['model:default/alpha', 'model:default/gamma']]);
    expect(index.all().map(m => [m.entity.metadata.name, m.uid])).toEqual([
      ['beta', beta.metadata.uid],
      ['gamma', 'gamma-again'],
    ]);
    expect(index.catalogCount).toBe(2);

    // a model registered again under its ref with a new uid, not followed
    // (same content, so nothing announced it): replaced, not dropped
    const betaAgain = {
      ...beta,
      metadata: { ...beta.metadata, uid: 'beta-again', etag: '2' },
    };
    entities = [betaAgain, gammaAgain];
    duringQuery = () => {};
    expect(await index.dropDeleted()).toEqual({ removed: 0 });
    expect(index.all().map(m => [m.entity.metadata.name, m.uid])).toEqual([
      ['beta', 'beta-again'],
      ['gamma', 'gamma-again'],
    ]);
    expect(index.catalogCount).toBe(2);
  });

  it('ranks name hits above description hits and sorts by popularity', async () => {
    const entities = [
      model('vision-small', 'A classifier'),
      model('classifier-big', 'Vision things'),
    ];
    const index = new ModelIndex({
      catalog: catalogServiceMock({ entities }),
      auth: mockServices.auth(),
      logger: mockServices.logger.mock(),
    });
    await index.refresh();
    const names = (q: string, sort: 'relevance' | 'popular' = 'relevance') =>
      index
        .search({ q, filters: {}, sort, limit: 10, offset: 0 })
        .items.map(i => i.name);
    expect(names('vision')).toEqual(['vision-small', 'classifier-big']);
    expect(names('classifier')).toEqual(['classifier-big', 'vision-small']);
    index.setPopularity(new Map([['model:default/vision-small', 1]]));
    index.addPopularity('model:default/classifier-big');
    index.addPopularity('model:default/classifier-big');
    expect(names('a', 'popular')).toEqual(['classifier-big', 'vision-small']);
  });

  describe('compaction', () => {
    const many = (from: number, count: number) =>
      Array.from(
        { length: count },
        (_, i) => model(`m-${from + i}`, `model ${from + i}`) as ModelEntity,
      );
    const newIndex = () =>
      new ModelIndex({
        catalog: catalogServiceMock({ entities: [] }),
        auth: mockServices.auth(),
        logger: mockServices.logger.mock(),
        compactAfterMs: 3_600_000,
      });

    it('lets the overlay grow further for large updates than for single changes', () => {
      expect(compactShare(10_000, 1)).toBe(1 / 16);
      expect(compactShare(50_000, 1_000)).toBeCloseTo(0.2, 5);
      expect(compactShare(100_000, 1_250)).toBeCloseTo(0.158, 3);
      expect(compactShare(1_000, 1_000)).toBe(1 / 2);
      expect(compactShare(0, 0)).toBe(1 / 16);
    });

    it('keeps batches of a flood in the overlay instead of rebuilding at each', () => {
      const index = newIndex();
      index.applyChanges(many(0, 4_000), []);
      expect(index.overlaySize).toBe(0); // the first load is packed
      // at 1/16 of the index, each of these batches was a compaction
      index.applyChanges(many(4_000, 300), []);
      index.applyChanges(many(4_300, 300), []);
      expect(index.overlaySize).toBe(600);
      // up to sqrt(2 * 300 / size) of the index: about 1,900 models at 6,000
      for (let b = 0; b < 4; b++) {
        index.applyChanges(many(4_600 + b * 300, 300), []);
      }
      expect(index.overlaySize).toBe(1_800);
      index.applyChanges(many(5_800, 300), []);
      expect(index.overlaySize).toBe(0);
      expect(index.size).toBe(6_100);
      expect(
        index.search({
          q: 'model 6099',
          filters: {},
          sort: 'relevance',
          limit: 1,
          offset: 0,
        }).items[0].name,
      ).toBe('m-6099');
    });

    it('still compacts single changes at a sixteenth of the index', () => {
      const index = newIndex();
      index.applyChanges(many(0, 4_000), []);
      // compacted once the overlay exceeds (4,000 + k) / 16: at k = 267
      for (let k = 0; k < 266; k++) {
        index.applyChanges(many(4_000 + k, 1), []);
      }
      expect(index.overlaySize).toBe(266);
      index.applyChanges(many(4_266, 1), []);
      expect(index.overlaySize).toBe(0);
    });
  });
});
