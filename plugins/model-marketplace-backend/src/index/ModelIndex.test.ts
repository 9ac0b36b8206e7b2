import { mockServices } from '@backstage/backend-test-utils';
import { Entity } from '@backstage/catalog-model';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { ModelEntity } from '@aic/plugin-model-marketplace-common';
import { ModelIndex } from './ModelIndex';
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

  it('drops deleted models by looking up the indexed refs, keeping one announced again meanwhile', async () => {
    const alpha = model('alpha', 'first');
    const beta = model('beta', 'second');
    const gamma = model('gamma', 'third');
    let entities: Entity[] = [alpha, beta, gamma];
    const lookups: Array<{ refs: string[]; fields?: string[] }> = [];
    let duringLookup = () => {};
    const catalog = catalogServiceMock.mock({
      queryEntities: async (req, opts) =>
        catalogServiceMock({ entities }).queryEntities(req, opts),
      getEntitiesByRefs: async (req, opts) => {
        lookups.push({ refs: req.entityRefs, fields: req.fields });
        const answer = await catalogServiceMock({
          entities,
        }).getEntitiesByRefs(req, opts);
        duringLookup();
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
    // and followed while the lookups run
    entities = [beta];
    const gammaAgain = {
      ...gamma,
      metadata: { ...gamma.metadata, uid: 'gamma-again', etag: '2' },
    };
    duringLookup = () => {
      index.applyChanges([gammaAgain as ModelEntity], []);
    };
    lookups.length = 0;
    const listings = catalog.queryEntities.mock.calls.length;
    expect(await index.dropDeleted()).toEqual({ removed: 1 });

    expect(catalog.queryEntities.mock.calls.length).toBe(listings);
    // every indexed ref, two at a time (the page size), asking for the uid only
    expect(lookups.flatMap(l => l.refs).sort()).toEqual([
      'model:default/alpha',
      'model:default/beta',
      'model:default/gamma',
    ]);
    expect(lookups.map(l => [l.refs.length, l.fields])).toEqual([
      [2, ['metadata.uid']],
      [1, ['metadata.uid']],
    ]);
    expect(index.all().map(m => [m.entity.metadata.name, m.uid])).toEqual([
      ['beta', beta.metadata.uid],
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
});
