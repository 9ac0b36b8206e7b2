import { actionsRegistryServiceFactory } from '@backstage/backend-defaults/alpha';
import { createServiceFactory } from '@backstage/backend-plugin-api';
import {
  mockCredentials,
  startTestBackend,
} from '@backstage/backend-test-utils';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { notificationService } from '@backstage/plugin-notifications-node';
import request from 'supertest';
import { modelMarketplacePlugin } from '../plugin';
import { loadExampleEntities } from '../__testUtils__/exampleEntities';

/*
 * The compare-models action through the real plugin and actions registry,
 * on the example models (examples/models.yaml).
 */

jest.setTimeout(60_000);

const marcus = mockCredentials.user.header('user:default/marcus.bell'); // team-assistants

describe('the compare-models action', () => {
  let server: any;

  beforeAll(async () => {
    ({ server } = await startTestBackend({
      features: [
        modelMarketplacePlugin,
        actionsRegistryServiceFactory,
        catalogServiceMock.factory({ entities: loadExampleEntities() }),
        createServiceFactory({
          service: notificationService,
          deps: {},
          factory: () => ({ send: async () => {} }),
        }),
      ],
    }));
  });

  const compare = (input: unknown, as = marcus) =>
    request(server)
      .post(
        '/api/model-marketplace/.backstage/actions/v1/actions/model-marketplace:compare-models/invoke',
      )
      .set('Authorization', as)
      .send(input as object);

  it('compares the default versions and ranks each declared metric', async () => {
    const res = await compare({
      models: ['model:default/llama-3-1-8b-instruct', 'mistral-7b-instruct'],
    });
    expect(res.status).toBe(200);
    const { models, metrics } = res.body.output;
    expect(
      models.map((m: any) => [
        m.ref,
        m.comparedVersion,
        m.type,
        m.accessPolicy,
      ]),
    ).toEqual([
      ['model:default/llama-3-1-8b-instruct', '1.0.0', 'llm', 'approval'],
      ['model:default/mistral-7b-instruct', 'v0.3', 'llm', 'open'],
    ]);
    const byName = Object.fromEntries(metrics.map((m: any) => [m.name, m]));
    expect(Object.keys(byName)).toEqual([
      'gsm8k',
      'humaneval',
      'mmlu',
      'mt_bench',
    ]);
    expect(byName.mmlu).toMatchObject({
      label: 'MMLU (5-shot)',
      direction: 'higher',
      values: [
        { model: 'model:default/llama-3-1-8b-instruct', value: 0.694 },
        { model: 'model:default/mistral-7b-instruct', value: 0.62 },
      ],
      best: ['model:default/llama-3-1-8b-instruct'],
    });
    // only one of the two reports MT-Bench: nothing to rank it against
    expect(byName.mt_bench).toMatchObject({
      label: 'MT-Bench',
      direction: 'higher',
      values: [
        { model: 'model:default/llama-3-1-8b-instruct' },
        { model: 'model:default/mistral-7b-instruct', value: 7.8 },
      ],
      best: [],
    });
    expect(byName.mt_bench.values[0].value).toBeUndefined();
  });

  it('refuses the same model twice, naming the field', async () => {
    const res = await compare({
      models: ['mistral-7b-instruct', 'model:default/mistral-7b-instruct'],
    });
    expect(res.status).toBe(400);
    expect(res.body.error.message).toBe(
      "'models' names the same model twice: model:default/mistral-7b-instruct, model:default/mistral-7b-instruct",
    );
  });

  it('refuses fewer than two or more than four models, naming the field', async () => {
    for (const models of [
      ['mistral-7b-instruct'],
      ['a', 'b', 'c', 'd', 'e'].map(n => `model:default/${n}`),
    ]) {
      const res = await compare({ models });
      expect(res.status).toBe(400);
      expect(res.body.error.message).toContain('models');
    }
  });

  it('names the model it cannot read', async () => {
    const res = await compare({
      models: ['mistral-7b-instruct', 'no-such-model'],
    });
    expect(res.status).toBe(404);
    expect(res.body.error.message).toContain('Cannot read model no-such-model');
  });
});
