import { mockServices } from '@backstage/backend-test-utils';
import { Entity } from '@backstage/catalog-model';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import {
  MODEL_FACET_FIELDS,
  MODEL_SORT_ORDERS,
  ModelEntity,
  ModelFacetField,
} from '@aic/plugin-model-marketplace-common';
import { ModelIndex, ModelIndexQuery } from './ModelIndex';
import { LayeredIndex } from './LayeredIndex';
import { searchIndex } from './searchIndex';
import { toIndexed } from './indexedModel';
import { testModel } from '../__testUtils__/exampleEntities';

/** A small seeded generator (mulberry32), so that a failure can be replayed. */
function random(seed: number) {
  let a = seed;
  const next = () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const int = (n: number) => Math.floor(next() * n);
  const pick = <T>(items: readonly T[]): T => items[int(items.length)];
  return { next, int, pick };
}

// few words, many shared prefixes and words a typo apart, to exercise
// prefix, exact and fuzzy matching and ties in every order
const WORDS = [
  'whisper',
  'whisker',
  'wisp',
  'transformer',
  'transform',
  'translate',
  'llama',
  'vision',
  'visual',
  'speech',
  'text',
  'tiny',
  'large',
  'encoder',
  'decoder',
];
const TAGS = ['Alpha', 'alpha', 'beta', 'nlp', 'speech', 'vision'];
const VALUES: Record<string, string[]> = {
  type: ['llm', 'embedding', 'vision'],
  lifecycle: ['production', 'experimental'],
  owner: ['team-a', 'team-b', 'Team-C'],
  license: ['mit', 'MIT', 'apache-2.0'],
  framework: ['pytorch', 'onnx'],
  task: ['text-generation', 'speech-recognition'],
};

function generator(seed: number) {
  const r = random(seed);
  const words = (n: number) =>
    Array.from({ length: n }, () => r.pick(WORDS)).join(' ');
  let etag = 0;
  const entity = (id: number): Entity => {
    etag += 1;
    const e = testModel(
      `m-${id}`,
      {
        ...(r.next() < 0.8 ? { title: words(1 + r.int(2)) } : {}),
        ...(r.next() < 0.7 ? { description: words(r.int(6)) } : {}),
        tags: Array.from({ length: r.int(3) }, () => r.pick(TAGS)),
      },
      String(etag),
    );
    const maybe = (field: string) =>
      r.next() < 0.7 ? { [field]: r.pick(VALUES[field]) } : {};
    e.spec = {
      ...e.spec,
      type: r.pick(VALUES.type),
      lifecycle: r.pick(VALUES.lifecycle),
      owner: r.pick(VALUES.owner),
      ...maybe('license'),
      ...maybe('framework'),
      ...maybe('task'),
    };
    return e;
  };
  const typo = (word: string) => {
    const at = 1 + r.int(word.length - 2);
    return r.next() < 0.5
      ? word.slice(0, at) + word.slice(at + 1)
      : word.slice(0, at) + word[at + 1] + word[at] + word.slice(at + 2);
  };
  const query = (): ModelIndexQuery => {
    const kind = r.int(6);
    const word = r.pick(WORDS);
    const q = [
      undefined,
      word,
      word.slice(0, 1 + r.int(word.length)),
      typo(word),
      `${word} ${r.pick(WORDS).slice(0, 3)}`,
      `${typo(word)} ${r.pick(WORDS)}`,
    ][kind];
    const filters: Partial<Record<ModelFacetField, string[]>> = {};
    for (let f = r.int(3); f > 0; f--) {
      const field = r.pick(MODEL_FACET_FIELDS);
      const known = field === 'tag' ? TAGS : VALUES[field];
      filters[field] = [r.pick(known), ...(r.next() < 0.3 ? ['nothing'] : [])];
    }
    return {
      q,
      filters,
      sort: r.pick(MODEL_SORT_ORDERS),
      offset: r.pick([0, 0, 3, 10, 40]),
      limit: r.pick([1, 5, 24, 1000]),
    };
  };
  return { r, entity, query };
}

const newIndex = (now: () => number) =>
  new ModelIndex({
    catalog: catalogServiceMock({ entities: [] }),
    auth: mockServices.auth(),
    logger: mockServices.logger.mock(),
    now,
    compactAfterMs: 3_600_000,
  });

describe('incremental index updates', () => {
  it.each([1, 2, 3])(
    'give the results of a full rebuild after random add, change and remove batches (seed %i)',
    seed => {
      const { r, entity, query } = generator(seed);
      let clock = 0;
      const index = newIndex(() => ++clock);
      const live = new Map<number, Entity>();
      const popularity = new Map<string, number>();
      let overlaid = 0;
      for (let round = 0; round < 60; round++) {
        const upserts: Entity[] = [];
        const removed: string[] = [];
        const touched = new Set<number>();
        for (let n = 1 + r.int(round === 0 ? 150 : 12); n > 0; n--) {
          const id = r.int(220);
          if (touched.has(id)) {
            continue;
          }
          touched.add(id);
          if (live.has(id) && r.next() < 0.35) {
            live.delete(id);
            removed.push(`model:default/m-${id}`);
          } else {
            const e = entity(id);
            live.set(id, e);
            upserts.push(e);
          }
        }
        if (upserts.length && r.next() < 0.3) {
          // two versions of one model in a batch: the later one wins
          const id = Number(upserts[0].metadata.name.slice(2));
          const again = entity(id);
          live.set(id, again);
          upserts.push(again);
        }
        index.applyChanges(upserts as ModelEntity[], removed);
        if (round % 20 === 0) {
          // the first load, then now and again: a base with models dead in it
          index.compact();
        } else if (index.overlaySize < index.size) {
          overlaid += 1;
        }
        const counts = new Map<string, number>();
        for (const id of live.keys()) {
          if (r.next() < 0.3) {
            counts.set(`model:default/m-${id}`, r.int(3));
          }
        }
        index.setPopularity(counts);
        popularity.clear();
        counts.forEach((n, ref) => popularity.set(ref, n));

        // the same models (with the times the index first saw them) packed
        // into one fresh base
        const full = {
          ...LayeredIndex.build(index.all()).searchable,
          popularity,
        };
        // and a fresh index of the same entities (its times all equal, so
        // its `updated` order is the name order)
        const fresh = newIndex(() => 0);
        fresh.applyChanges([...live.values()] as ModelEntity[], []);
        fresh.setPopularity(counts);
        expect(index.size).toBe(live.size);
        expect(index.all().map(m => m.ref)).toEqual(
          fresh.all().map(m => m.ref),
        );
        for (let k = 0; k < 25; k++) {
          const q = query();
          const visible =
            r.next() < 0.2
              ? (m: { refKey: string }) => m.refKey.length % 2 === 0
              : undefined;
          const got = index.search(q, visible);
          expect(got).toEqual(searchIndex(full, q, visible));
          // the fresh index's `updated` order is its name order
          const timeless = {
            ...q,
            sort: q.sort === 'updated' ? ('name' as const) : q.sort,
          };
          expect(index.search(timeless, visible)).toEqual(
            fresh.search(timeless, visible),
          );
        }
      }
      // most rounds searched a base and an overlay together
      expect(overlaid).toBeGreaterThan(50);
    },
  );

  it('compacts the overlay once changes stop', async () => {
    const index = new ModelIndex({
      catalog: catalogServiceMock({ entities: [] }),
      auth: mockServices.auth(),
      logger: mockServices.logger.mock(),
      compactAfterMs: 20,
    });
    const { entity } = generator(7);
    index.applyChanges(
      Array.from({ length: 50 }, (_, i) => entity(i)) as ModelEntity[],
      [],
    );
    index.compact();
    expect(index.overlaySize).toBe(0);
    index.applyChanges([entity(3)] as ModelEntity[], ['model:default/m-4']);
    // one changed model held apart, one removed model marked dead
    expect(index.overlaySize).toBe(3);
    const deadline = Date.now() + 10_000;
    while (index.overlaySize && Date.now() < deadline) {
      await new Promise(resolve => setTimeout(resolve, 10));
    }
    expect(index.overlaySize).toBe(0);
    expect(index.size).toBe(49);

    // a large batch is packed at once
    index.applyChanges(
      Array.from({ length: 300 }, (_, i) => entity(i)) as ModelEntity[],
      [],
    );
    expect(index.size).toBe(300);
    expect(index.overlaySize).toBe(0);
  });

  it('limits typo matches to words live models hold', () => {
    // 70 words one typo away of the query: more than the typo limit of 50
    const letters = 'fghijklmnopqrstuvwxy';
    const words = [
      ...[...letters].map(c => `abcd${c}`),
      ...[...letters].map(c => `abc${c}e`),
      ...[...letters].map(c => `ab${c}de`),
      ...[...'fghijklmno'].map(c => `a${c}cde`),
    ];
    const models = words.map((word, i) =>
      toIndexed(`uid-${i}`, testModel(word) as ModelEntity, 0),
    );
    const layered = LayeredIndex.build(models).withChanges(
      models.slice(0, 20),
      [],
    );
    const packed = LayeredIndex.build(models.slice(20));
    const names = (
      ix: LayeredIndex,
      scores = ix.searchable.text.score('abcde'),
    ) => scores.candidates.map(d => ix.searchable.docs[d].ref).sort();
    expect(names(layered)).toEqual(names(packed));
    // the 20 removed words come first: left in, they would take 20 of the 50
    expect(names(layered)).toHaveLength(50);
  });
});
