import { mockServices, TestDatabases } from '@backstage/backend-test-utils';
import { ConflictError, NotFoundError } from '@backstage/errors';
import { DatabaseRequestStore } from './DatabaseRequestStore';
import { DuplicateRequestError } from './DuplicateRequestError';

jest.setTimeout(60_000);

const databases = TestDatabases.create({ ids: ['POSTGRES_17', 'SQLITE_3'] });

const base = {
  model: 'model:default/llama-3-1-8b-instruct',
  team: 'group:default/team-assistants',
  purpose: 'Support copilot',
  requester: 'user:default/guest',
  accessPolicy: 'approval' as const,
  approvers: ['group:default/ml-platform'],
  autoApprove: false,
};

const approve = (notification?: string) => ({
  from: ['pending' as const],
  to: 'approved' as const,
  action: 'approved' as const,
  actor: 'user:default/helen.park',
  comment: 'ok',
  isDecision: true,
  notifications: notification ? [notification] : undefined,
});

/*
 * Concurrent creates and decisions (combined into batches on PostgreSQL)
 * and the outbox rows written with them.
 */
describe.each(databases.eachSupportedId())(
  'concurrent writes of requests on %p',
  databaseId => {
    async function setUp() {
      const knex = await databases.init(databaseId);
      const requests = await DatabaseRequestStore.create({
        database: mockServices.database({ knex, migrations: { skip: false } }),
      });
      const outbox = async () =>
        (
          await knex('model_notification_outbox')
            .orderBy('id', 'asc')
            .select('notification')
        ).map(r => r.notification as string);
      return { knex, requests, outbox };
    }

    it('lands every one of many concurrent creates, once, with its outbox row', async () => {
      const { knex, requests, outbox } = await setUp();
      const created = await Promise.all(
        Array.from({ length: 40 }, (_, i) =>
          requests.createRequest({
            ...base,
            version: `1.0.${i}`,
            // every fourth model is open: created and approved at once
            ...(i % 4 === 0
              ? { accessPolicy: 'open' as const, autoApprove: true }
              : { notifications: [`created ${i}`] }),
          }),
        ),
      );
      expect(new Set(created.map(r => r.id)).size).toBe(40);
      expect(
        Number((await knex('model_requests').count({ n: '*' }))[0].n),
      ).toBe(40);
      for (const [i, r] of created.entries()) {
        const read = await requests.getRequest(r.id);
        expect(read?.version).toBe(`1.0.${i}`);
        // the timeline rows of a request in the order they were written
        expect(read?.timeline.map(t => t.action)).toEqual(
          i % 4 === 0 ? ['created', 'approved'] : ['created'],
        );
      }
      expect((await outbox()).sort()).toEqual(
        Array.from({ length: 40 }, (_, i) => i)
          .filter(i => i % 4 !== 0)
          .map(i => `created ${i}`)
          .sort(),
      );
    });

    it('fails only the create at fault when concurrent creates clash', async () => {
      const { requests, outbox } = await setUp();
      const results = await Promise.allSettled([
        ...Array.from({ length: 10 }, (_, i) =>
          requests.createRequest({
            ...base,
            version: `2.0.${i}`,
            notifications: [`ok ${i}`],
          }),
        ),
        // the same team, model and version twice: one of them must lose
        requests.createRequest({
          ...base,
          version: '9.9.9',
          notifications: ['twin a'],
        }),
        requests.createRequest({
          ...base,
          version: '9.9.9',
          notifications: ['twin b'],
        }),
      ]);
      expect(results.slice(0, 10).map(r => r.status)).toEqual(
        Array(10).fill('fulfilled'),
      );
      const twins = results.slice(10);
      expect(twins.filter(r => r.status === 'fulfilled')).toHaveLength(1);
      const lost = twins.find(r => r.status === 'rejected');
      expect((lost as PromiseRejectedResult).reason).toBeInstanceOf(
        DuplicateRequestError,
      );
      // the loser's notification was not stored, the winner's was
      const rows = await outbox();
      expect(rows).toHaveLength(11);
      expect(rows.filter(n => n.startsWith('twin'))).toHaveLength(1);
    });

    it('stores a request and its outbox row together or not at all', async () => {
      const { knex, requests, outbox } = await setUp();
      // an outbox row the table refuses (no notification): the request
      // written with it must be rolled back too
      const outcome = await requests
        .createRequest({
          ...base,
          id: '00000000-0000-4000-8000-000000000001',
          notifications: [null as unknown as string],
        })
        .then(
          () => 'stored',
          () => 'refused',
        );
      expect(outcome).toBe('refused');
      expect(
        await knex('model_requests')
          .where({ id: '00000000-0000-4000-8000-000000000001' })
          .first(),
      ).toBeUndefined();
      expect(await outbox()).toEqual([]);

      const request = await requests.createRequest(base);
      // what the driver rejects with need not be an Error of the test's realm
      // (better-sqlite3's SqliteError), so the outcome is told by which
      // callback runs, not by toThrow
      const decided = await requests
        .transition(request.id, {
          ...approve(),
          notifications: [null as unknown as string],
        })
        .then(
          () => 'applied',
          () => 'refused',
        );
      expect(decided).toBe('refused');
      expect((await requests.getRequest(request.id))?.status).toBe('pending');
      expect(await outbox()).toEqual([]);
    });

    it('applies concurrent decisions once each and refuses the rest', async () => {
      const { requests, outbox } = await setUp();
      const pending = await Promise.all(
        Array.from({ length: 20 }, (_, i) =>
          requests.createRequest({ ...base, version: `3.0.${i}` }),
        ),
      );
      const results = await Promise.allSettled([
        ...pending.map((r, i) =>
          requests.transition(r.id, approve(`decided ${i}`)),
        ),
        // a second decision of the first request, and an unknown request
        requests.transition(pending[0].id, approve('decided again')),
        requests.transition('no-such-request', approve('nobody')),
      ]);
      // of the two decisions of the first request exactly one applies
      const twins = [results[0], results[20]];
      expect(twins.filter(r => r.status === 'fulfilled')).toHaveLength(1);
      const lost = twins.find(r => r.status === 'rejected');
      expect((lost as PromiseRejectedResult).reason).toBeInstanceOf(
        ConflictError,
      );
      expect(results.slice(1, 20).map(r => r.status)).toEqual(
        Array(19).fill('fulfilled'),
      );
      expect((results[21] as PromiseRejectedResult).reason).toBeInstanceOf(
        NotFoundError,
      );
      for (const r of pending) {
        const read = await requests.getRequest(r.id);
        expect(read).toMatchObject({
          status: 'approved',
          decidedBy: 'user:default/helen.park',
        });
        expect(
          read?.timeline.map(t => [t.action, t.fromStatus, t.toStatus]),
        ).toEqual([
          ['created', undefined, 'pending'],
          ['approved', 'pending', 'approved'],
        ]);
      }
      // one outbox row per applied decision, none for the refused ones
      const winner =
        twins[0].status === 'fulfilled' ? 'decided 0' : 'decided again';
      expect((await outbox()).sort()).toEqual(
        [winner, ...pending.slice(1).map((_, i) => `decided ${i + 1}`)].sort(),
      );
    });

    it('writes the outbox rows of one request in the order of its changes', async () => {
      const { requests, outbox } = await setUp();
      const request = await requests.createRequest({
        ...base,
        notifications: ['first: created'],
      });
      await requests.transition(request.id, approve('second: approved'));
      expect(await outbox()).toEqual(['first: created', 'second: approved']);
    });
  },
);
