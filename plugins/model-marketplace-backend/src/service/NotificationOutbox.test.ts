import { mockServices, TestDatabases } from '@backstage/backend-test-utils';
import type { NotificationSendOptions } from '@backstage/plugin-notifications-node';
import { migrateModelMarketplaceDatabase } from '../database/DatabaseRequestStore';
import { NotificationOutbox } from './NotificationOutbox';

jest.setTimeout(60_000);

const databases = TestDatabases.create({ ids: ['POSTGRES_17', 'SQLITE_3'] });

const note = (
  title: string,
  team = 'group:default/team-a',
): NotificationSendOptions => ({
  recipients: { type: 'entity', entityRef: [team] },
  payload: { title, topic: 'model-marketplace' },
});

describe.each(databases.eachSupportedId())('NotificationOutbox on %p', id => {
  async function setUp(
    send: (n: NotificationSendOptions) => Promise<void>,
    options: { now?: () => number; maxAttempts?: number } = {},
  ) {
    const knex = await databases.init(id);
    const db = await migrateModelMarketplaceDatabase(
      mockServices.database({ knex, migrations: { skip: false } }),
    );
    const make = () =>
      new NotificationOutbox({
        db,
        notifications: { send },
        logger: mockServices.logger.mock(),
        ...options,
      });
    return { db, make };
  }

  it('stores before it returns and sends each notification once, in order', async () => {
    const sent: string[] = [];
    let release!: () => void;
    const gate = new Promise<void>(r => {
      release = r;
    });
    let now = 1_000_000;
    const scopes: Array<string | undefined> = [];
    const { make } = await setUp(
      async n => {
        await gate;
        sent.push(n.payload.title);
        scopes.push(n.payload.scope);
      },
      { now: () => now },
    );
    const outbox = make();
    await outbox.enqueue(note('one'));
    await outbox.enqueue(note('two'));
    // stored durably although nothing was sent yet
    expect(await outbox.pending()).toBe(2);
    expect(sent).toEqual([]);
    release();
    // stopping (at shutdown) leaves the rest of the background drain's claim
    // to a later drain, once the claim has expired
    await outbox.stop();
    now += 61_000;
    await outbox.drain();
    expect(sent).toEqual(['one', 'two']);
    expect(await outbox.pending()).toBe(0);
    // each with a scope of its own, so a send again updates, never doubles
    expect(new Set(scopes).size).toBe(2);
  });

  it('never sends a row twice when two replicas drain at once', async () => {
    const sent: string[] = [];
    const { db, make } = await setUp(async n => {
      await new Promise(r => setTimeout(r, 1));
      sent.push(n.payload.title);
    });
    const titles = Array.from({ length: 60 }, (_, i) => `n${i}`);
    await db('model_notification_outbox').insert(
      titles.map(t => ({ notification: JSON.stringify(note(t)), attempts: 0 })),
    );
    const [a, b] = [make(), make()];
    const counts = await Promise.all([a.drain(), b.drain(), a.drain()]);
    expect(counts.reduce((x, y) => x + y, 0)).toBe(60);
    expect([...sent].sort()).toEqual([...titles].sort());
    expect(await a.pending()).toBe(0);
  });

  it('retries a failed send after the claim expires and drops it after maxAttempts', async () => {
    let now = 1_000_000;
    let failures = 0;
    const sent: string[] = [];
    const { make } = await setUp(
      async n => {
        if (n.payload.title === 'flaky' && failures < 1) {
          failures += 1;
          throw new Error('notifications backend down');
        }
        if (n.payload.title === 'broken') {
          throw new Error('always fails');
        }
        sent.push(n.payload.title);
      },
      { now: () => now, maxAttempts: 2 },
    );
    const outbox = make();
    await outbox.stop(); // no background drains: this test drains by hand
    await outbox.enqueue(note('flaky'));
    // other recipients: not held back by the failure of 'flaky'
    await outbox.enqueue(note('broken', 'group:default/team-b'));
    expect(await outbox.drain()).toBe(0);
    // the claims hold: nothing is retried at once
    expect(await outbox.drain()).toBe(0);
    expect(await outbox.pending()).toBe(2);
    now += 61_000;
    expect(await outbox.drain()).toBe(1);
    expect(sent).toEqual(['flaky']);
    // 'broken' failed twice (maxAttempts 2) and was dropped
    expect(await outbox.pending()).toBe(0);
  });

  it('sends a batch in order per recipients and holds back what follows a failure', async () => {
    let now = 1_000_000;
    let down = true;
    const sent: string[] = [];
    const { make } = await setUp(
      async n => {
        if (n.payload.title === 'a2' && down) {
          throw new Error('notifications backend down');
        }
        // the other team's sends go on while team-a's wait
        await new Promise(r => setImmediate(r));
        sent.push(n.payload.title);
      },
      { now: () => now },
    );
    const outbox = make();
    await outbox.stop(); // no background drains: this test drains by hand
    for (let i = 1; i <= 4; i += 1) {
      await outbox.enqueue(note(`a${i}`));
      await outbox.enqueue(note(`b${i}`, 'group:default/team-b'));
    }
    expect(await outbox.drain()).toBe(5);
    // a3 and a4 are not sent before a2, which failed
    expect(sent.filter(t => t.startsWith('a'))).toEqual(['a1']);
    expect(sent.filter(t => t.startsWith('b'))).toEqual([
      'b1',
      'b2',
      'b3',
      'b4',
    ]);
    expect(await outbox.pending()).toBe(3);
    down = false;
    now += 61_000;
    expect(await outbox.drain()).toBe(3);
    expect(sent.filter(t => t.startsWith('a'))).toEqual([
      'a1',
      'a2',
      'a3',
      'a4',
    ]);
    expect(await outbox.pending()).toBe(0);
  });
});
