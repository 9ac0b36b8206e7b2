import type { Entity } from '@backstage/catalog-model';
import request from 'supertest';
import {
  loadExampleEntities,
  withCatalogFields,
} from './__testUtils__/exampleEntities';
import { startMarketplace, users } from './__testUtils__/startMarketplace';

/*
 * GET /metrics and /metrics/{name} for the cases the example catalog does
 * not have: equal values share a rank, a model without a default version
 * reports its first version, values that are not numbers are left out, and
 * a version without metrics reports none.
 */

jest.setTimeout(60_000);

const base = loadExampleEntities().find(
  e => e.kind === 'Model' && e.metadata.name === 'mistral-7b-instruct',
)!;

function variant(
  name: string,
  versions: Array<Record<string, unknown>>,
  declared = true,
): Entity {
  const spec = base.spec as Record<string, any>;
  return withCatalogFields({
    apiVersion: base.apiVersion,
    kind: base.kind,
    metadata: { name, namespace: 'default', title: name },
    spec: {
      ...spec,
      versions: versions.map(v => ({
        artifact: `s3://models/${name}/`,
        ...v,
      })),
      evaluation: declared
        ? {
            metrics: [
              {
                name: 'tie_score',
                displayName: 'Tie score',
                direction: 'higher',
              },
            ],
          }
        : undefined,
    },
  });
}

describe('metric benchmarks with ties and odd values', () => {
  let server: Awaited<ReturnType<typeof startMarketplace>>['server'];
  const api = () => request(server);

  beforeAll(async () => {
    ({ server } = await startMarketplace({
      entities: [
        variant('tie-a', [
          { version: '1.0.0', default: true, metrics: { tie_score: 0.9 } },
        ]),
        variant('tie-b', [
          { version: '1.0.0', default: true, metrics: { tie_score: 0.9 } },
        ]),
        // no default version: the first one is the one shown
        variant('tie-first', [
          { version: '2.0.0', metrics: { tie_score: 0.5 } },
          { version: '1.0.0', metrics: { tie_score: 0.99 } },
        ]),
        variant('tie-text', [
          { version: '1.0.0', default: true, metrics: { tie_score: 'high' } },
        ]),
        variant('tie-none', [{ version: '1.0.0', default: true }], false),
      ],
    }));
  });

  it('gives equal values the same rank and counts the next one after them', async () => {
    const res = await api()
      .get('/api/model-marketplace/metrics/tie_score')
      .set('Authorization', users.guest);
    expect(res.status).toBe(200);
    expect(res.body.metric).toMatchObject({
      name: 'tie_score',
      label: 'Tie score',
      direction: 'higher',
      models: 3,
    });
    expect(
      res.body.items.map((i: any) => [
        i.model.name,
        i.version,
        i.value,
        i.rank,
      ]),
    ).toEqual([
      ['tie-a', '1.0.0', 0.9, 1],
      ['tie-b', '1.0.0', 0.9, 1],
      ['tie-first', '2.0.0', 0.5, 3],
    ]);
  });

  it('lists the metric once, counting only models that report a number', async () => {
    const res = await api()
      .get('/api/model-marketplace/metrics')
      .set('Authorization', users.guest);
    expect(res.status).toBe(200);
    expect(res.body.items.filter((m: any) => m.name === 'tie_score')).toEqual([
      {
        name: 'tie_score',
        label: 'Tie score',
        direction: 'higher',
        models: 3,
      },
    ]);
  });
});
