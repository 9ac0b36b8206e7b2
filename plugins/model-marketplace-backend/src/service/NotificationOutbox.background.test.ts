import { mockServices, TestDatabases } from '@backstage/backend-test-utils';
import type { NotificationSendOptions } from '@backstage/plugin-notifications-node';
import { migrateModelMarketplaceDatabase } from '../database/DatabaseRequestStore';
import { eventually } from '../__testUtils__/eventually';
import { NotificationOutbox } from './NotificationOutbox';

/*
 * The background drains of the outbox: a drain started while one runs,
 * a stopped outbox, small batches, a caller's own scope, and a drain that
 * fails as a whole.
 */

jest.setTimeout(60_000);

const databases = TestDatabases.create({ ids: ['POSTGRES_17', 'SQLITE_3'] });

const note = (title: string, scope?: string): NotificationSendOptions => ({
  recipients: { type: 'entity', entityRef: ['group:default/team-a'] },
  payload: { title, topic: 'model-marketplace', ...(scope ? { scope } : {}) },
});

describe.each(databases.eachSupportedId())(
  'NotificationOutbox in the background on %p',
  id => {
    async function setUp(
      send: (n: NotificationSendOptions) => Promise<void>,
      options: { batchSize?: number } = {},
    ) {
      const knex = await databases.init(id);
      const db = await migrateModelMarketplaceDatabase(
        mockServices.database({ knex, migrations: { skip: false } }),
      );
      const logger = mockServices.logger.mock();
      const outbox = new NotificationOutbox({
        db,
        notifications: { send },
        logger,
        ...options,
      });
      return { db, outbox, logger };
    }

    it('drains again for what was enqueued while a drain ran', async () => {
      const sent: string[] = [];
      let release!: () => void;
      const gate = new Promise<void>(r => {
        release = r;
      });
      let sending = false;
      const { outbox } = await setUp(async n => {
        sending = true;
        await gate;
        sent.push(n.payload.title);
      });
      await outbox.enqueue(note('first'));
      // the first drain has claimed 'first' and waits in its send
      await eventually(() => expect(sending).toBe(true));
      await outbox.enqueue(note('second'));
      await outbox.enqueue(note('third'));
      release();
      await eventually(() =>
        expect(sent).toEqual(['first', 'second', 'third']),
      );
      // stop waits for the running drain to delete what it sent
      await outbox.stop();
      expect(await outbox.pending()).toBe(0);
    });

    it('claims in batches of batchSize until nothing is left', async () => {
      const sent: string[] = [];
      const { outbox } = await setUp(
        async n => {
          sent.push(n.payload.title);
        },
        { batchSize: 2 },
      );
      await outbox.stop();
      for (const t of ['a', 'b', 'c', 'd', 'e']) await outbox.enqueue(note(t));
      // stopped: stored, not sent
      expect(sent).toEqual([]);
      expect(await outbox.pending()).toBe(5);
      expect(await outbox.drain()).toBe(5);
      expect(sent).toEqual(['a', 'b', 'c', 'd', 'e']);
      expect(await outbox.pending()).toBe(0);
    });

    it("keeps the caller's own scope", async () => {
      const scopes: Array<string | undefined> = [];
      const { outbox } = await setUp(async n => {
        scopes.push(n.payload.scope);
      });
      await outbox.stop();
      await outbox.enqueue(note('scoped', 'deployment-dep-1'));
      await outbox.drain();
      expect(scopes).toEqual(['deployment-dep-1']);
    });

    it('logs a drain that fails as a whole, and keeps what was stored', async () => {
      const { db, outbox, logger } = await setUp(async () => {});
      await outbox.stop();
      await outbox.enqueue(note('kept'));
      // a drain that cannot even claim: the table is renamed away
      await db.schema.renameTable(
        'model_notification_outbox',
        'model_notification_outbox_away',
      );
      const broken = new NotificationOutbox({
        db,
        notifications: { send: async () => {} },
        logger,
      });
      broken.kick();
      await eventually(() =>
        expect(logger.warn).toHaveBeenCalledWith(
          expect.stringMatching(/^Could not send notifications: .*outbox/),
        ),
      );
      await db.schema.renameTable(
        'model_notification_outbox_away',
        'model_notification_outbox',
      );
      expect(await outbox.pending()).toBe(1);
    });
  },
);
