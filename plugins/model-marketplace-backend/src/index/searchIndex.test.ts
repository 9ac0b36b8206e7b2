import { mockServices } from '@backstage/backend-test-utils';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { ModelIndex, ModelIndexQuery } from './ModelIndex';
import { testModel } from '../__testUtils__/exampleEntities';

const TYPES = ['llm', 'embedding', 'vision'];
const LIFECYCLES = ['production', 'experimental'];

/** 60 models: type, lifecycle and tags cycle, descriptions share words. */
const entities = Array.from({ length: 60 }, (_, i) => {
  const e = testModel(`m-${String(i).padStart(2, '0')}`, {
    title: `Model ${String(i).padStart(2, '0')}`,
    description: i % 2 ? 'speech and text' : 'text only',
    tags: i % 4 === 0 ? ['Alpha', 'beta'] : ['beta'],
  });
  e.spec = {
    ...e.spec,
    type: TYPES[i % 3],
    lifecycle: LIFECYCLES[i % 2],
  };
  return e;
});

async function index() {
  const ix = new ModelIndex({
    catalog: catalogServiceMock({ entities }),
    auth: mockServices.auth(),
    logger: mockServices.logger.mock(),
  });
  await ix.refresh();
  return ix;
}

const query = (q: Partial<ModelIndexQuery>): ModelIndexQuery => ({
  filters: {},
  sort: 'name',
  offset: 0,
  limit: 100,
  ...q,
});

describe('searchIndex', () => {
  it('counts each facet over the models passing every other filter', async () => {
    const ix = await index();
    const result = ix.search(
      query({
        q: 'speech',
        filters: { type: ['LLM', 'embedding'], lifecycle: ['experimental'] },
      }),
    );
    // odd i (speech), type llm or embedding (i % 3 != 2): all experimental
    const expected = entities
      .map((e, i) => ({ e, i }))
      .filter(({ i }) => i % 2 === 1 && i % 3 !== 2)
      .map(({ e }) => e.metadata.name);
    expect(result.items.map(m => m.name)).toEqual(expected);
    expect(result.totalItems).toBe(expected.length);
    // the type facet ignores the type filter, not the lifecycle one
    const odd = entities.filter((_, i) => i % 2 === 1);
    const typeCounts = Object.fromEntries(
      result.facets.type.map(f => [f.value, f.count]),
    );
    expect(typeCounts).toEqual({
      llm: odd.filter((_, k) => (2 * k + 1) % 3 === 0).length,
      embedding: odd.filter((_, k) => (2 * k + 1) % 3 === 1).length,
      vision: odd.filter((_, k) => (2 * k + 1) % 3 === 2).length,
    });
    // the lifecycle facet ignores the lifecycle filter: the text query
    // leaves only experimental models, and the selection shows
    expect(result.facets.lifecycle).toEqual([
      { value: 'experimental', count: expected.length },
    ]);
    // tags of the matches, the more frequent first
    expect(result.facets.tag[0]).toEqual({
      value: 'beta',
      count: expected.length,
    });
  });

  it('lists a selected value no match has with a count of 0, as it was asked for', async () => {
    const ix = await index();
    const result = ix.search(
      query({ filters: { type: ['audio'], tag: ['ALPHA'] } }),
    );
    expect(result.totalItems).toBe(0);
    expect(result.facets.type).toContainEqual({ value: 'audio', count: 0 });
    expect(result.facets.tag.filter(t => /alpha/i.test(t.value))).toEqual([
      { value: 'ALPHA', count: 0 },
    ]);
  });

  it('pages through any sort in the same order as one full page', async () => {
    const ix = await index();
    ix.setPopularity(
      new Map(
        entities.map((e, i) => [`model:default/${e.metadata.name}`, i % 7]),
      ),
    );
    for (const sort of ['relevance', 'popular', 'name', 'updated'] as const) {
      const q = sort === 'relevance' ? 'speech text' : undefined;
      const all = ix.search(query({ q, sort })).items.map(m => m.name);
      const paged: string[] = [];
      for (let offset = 0; offset < all.length; offset += 5) {
        paged.push(
          ...ix
            .search(query({ q, sort, offset, limit: 5 }))
            .items.map(m => m.name),
        );
      }
      expect(paged).toEqual(all);
      expect(new Set(all).size).toBe(all.length);
    }
    const popular = ix
      .search(query({ sort: 'popular', limit: 3 }))
      .items.map(m => m.name);
    // popularity 6 (i % 7 === 6), ties by name
    expect(popular).toEqual(['m-06', 'm-13', 'm-20']);
  });
});
