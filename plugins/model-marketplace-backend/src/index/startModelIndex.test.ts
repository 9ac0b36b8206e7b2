import { mockServices, TestDatabases } from '@backstage/backend-test-utils';
import type { Entity } from '@backstage/catalog-model';
import { ServiceUnavailableError } from '@backstage/errors';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import {
  MODEL_CHANGED_TOPIC,
  modelChangeKey,
  modelFingerprint,
} from '@aic/plugin-model-marketplace-common';
import { testModel } from '../__testUtils__/exampleEntities';
import { eventually } from '../__testUtils__/eventually';
import { DatabaseModelChangeFeed } from './DatabaseModelChangeFeed';
import { ModelChangeFollower } from './ModelChangeFollower';
import { ModelIndex } from './ModelIndex';
import { buildUntilDone, startModelIndex } from './startModelIndex';

jest.setTimeout(60_000);

describe('buildUntilDone', () => {
  it('builds the index once the catalog has started, so that its count of models is known', async () => {
    const entities = [testModel('alpha'), testModel('beta')];
    let calls = 0;
    const served = catalogServiceMock({ entities });
    const catalog = catalogServiceMock.mock({
      queryEntities: async (req, opts) => {
        calls += 1;
        if (calls <= 2) {
          throw new ServiceUnavailableError('Service has not started up yet');
        }
        return served.queryEntities(req, opts);
      },
      getEntitiesByRefs: (req, opts) => served.getEntitiesByRefs(req, opts),
    });
    const logger = mockServices.logger.mock();
    const index = new ModelIndex({
      catalog,
      auth: mockServices.auth(),
      logger,
    });

    const attempts = await buildUntilDone(() => index.refresh(), {
      logger,
      retryMs: 1,
    });

    expect(attempts).toBe(3);
    expect(index.size).toBe(2);
    expect(index.catalogCount).toBe(2);
    expect(logger.warn).toHaveBeenCalledTimes(2);
    expect(logger.warn).toHaveBeenCalledWith(
      expect.stringContaining(
        'Could not build the model index (attempt 1), trying again in 1 ms: ServiceUnavailableError: Service has not started up yet',
      ),
    );
  });

  it('builds once when the catalog answers at once', async () => {
    const logger = mockServices.logger.mock();
    const build = jest.fn(async () => {});
    await expect(buildUntilDone(build, { logger })).resolves.toBe(1);
    expect(build).toHaveBeenCalledTimes(1);
    expect(logger.warn).not.toHaveBeenCalled();
  });
});

describe('startModelIndex', () => {
  const databases = TestDatabases.create({ ids: ['SQLITE_3'] });

  it('builds the index, follows announced changes and runs its local tasks at the configured intervals', async () => {
    const knex = await databases.init('SQLITE_3');
    const feed = await DatabaseModelChangeFeed.create({
      database: mockServices.database({ knex, migrations: { skip: false } }),
    });
    const state = { entities: [testModel('alpha')] as Entity[] };
    const catalog = catalogServiceMock.mock({
      queryEntities: (req, opts) =>
        catalogServiceMock({ entities: state.entities }).queryEntities(
          req,
          opts,
        ),
      getEntitiesByRefs: (req, opts) =>
        catalogServiceMock({ entities: state.entities }).getEntitiesByRefs(
          req,
          opts,
        ),
    });
    const logger = mockServices.logger.mock();
    const auth = mockServices.auth();
    const index = new ModelIndex({ catalog, auth, logger });
    const follower = new ModelChangeFollower({
      index,
      catalog,
      auth,
      logger,
      feed,
    });
    const events = mockServices.events();
    const scheduler = mockServices.scheduler();
    const scheduled = jest.spyOn(scheduler, 'scheduleTask');
    const afterRefresh = jest.fn(async () => {});
    const afterPoll = jest.fn();
    const names = () => index.all().map(m => m.entity.metadata.name);

    try {
      await startModelIndex({
        index,
        follower,
        feed,
        events,
        scheduler,
        config: mockServices.rootConfig({
          data: {
            modelMarketplace: {
              index: { refreshInterval: { minutes: 3 } },
            },
          },
        }),
        logger,
        afterRefresh,
        afterPoll,
      });
      await eventually(() => expect(names()).toEqual(['alpha']));
      await eventually(() => expect(afterRefresh).toHaveBeenCalledTimes(1));
      expect(
        scheduled.mock.calls.map(([t]) => [t.id, t.scope, t.frequency]),
      ).toEqual([
        ['model-marketplace-index-refresh', 'local', { minutes: 3 }],
        // not configured: the default
        ['model-marketplace-index-changes', 'local', { seconds: 1 }],
      ]);

      // an announcement from the catalog module is followed at once ...
      const beta = testModel('beta');
      state.entities = [...state.entities, beta];
      await events.publish({
        topic: MODEL_CHANGED_TOPIC,
        eventPayload: { entityRef: 'model:default/beta' },
      });
      await events.publish({
        topic: MODEL_CHANGED_TOPIC,
        eventPayload: {
          entityRef: modelChangeKey(beta),
          fingerprint: modelFingerprint(beta),
        },
      });
      await eventually(() => expect(names().sort()).toEqual(['alpha', 'beta']));

      // ... and shared with the other replicas by the next poll
      expect(afterPoll).not.toHaveBeenCalled();
      await scheduler.triggerTask('model-marketplace-index-changes');
      expect(afterPoll).toHaveBeenCalledTimes(1);
      const shared = await feed.readAfter(0);
      expect(shared.changes).toEqual([
        {
          entityRef: modelChangeKey(beta),
          fingerprint: modelFingerprint(beta),
        },
      ]);

      // the refresh task catches what nobody announced, a deletion here
      state.entities = [beta];
      await scheduler.triggerTask('model-marketplace-index-refresh');
      expect(names()).toEqual(['beta']);
      expect(afterRefresh).toHaveBeenCalledTimes(2);

      // a flood of announcements the catalog does not serve yet: the refresh
      // task leaves it to the follower instead of listing every model
      const flood = Array.from({ length: 600 }, (_, i) => testModel(`m${i}`));
      for (const m of flood) {
        await events.publish({
          topic: MODEL_CHANGED_TOPIC,
          eventPayload: {
            entityRef: modelChangeKey(m),
            fingerprint: modelFingerprint(m),
          },
        });
      }
      const listings = catalog.queryEntities.mock.calls.length;
      await scheduler.triggerTask('model-marketplace-index-refresh');
      expect(afterRefresh).toHaveBeenCalledTimes(2);
      expect(catalog.queryEntities.mock.calls.length).toBe(listings);
      // served and followed: the refresh task lists again
      state.entities = [beta, ...flood];
      await eventually(() => expect(index.size).toBe(601), 60_000);
      await scheduler.triggerTask('model-marketplace-index-refresh');
      expect(afterRefresh).toHaveBeenCalledTimes(3);
    } finally {
      follower.stop();
    }
  });
});
