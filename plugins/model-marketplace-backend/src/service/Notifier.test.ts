import { mockServices } from '@backstage/backend-test-utils';
import knexFactory from 'knex';
import { NotificationOutbox } from './NotificationOutbox';
import { Notifier } from './Notifier';
import { eventually } from '../__testUtils__/eventually';

const payload = {
  title: 'Request approved',
  description: 'llama for team-assistants',
  link: '/model-marketplace/requests/1',
  severity: 'normal' as const,
};

/** A notifications service that keeps what it is sent, or refuses it. */
function notifications(fail?: Error) {
  const sent: unknown[] = [];
  return {
    sent,
    service: {
      async send(options: unknown) {
        if (fail) {
          throw fail;
        }
        sent.push(options);
      },
    },
  };
}

describe('Notifier without an outbox', () => {
  it('sends to the recipients, excluding the actor, with names made short', async () => {
    const { sent, service } = notifications();
    const notifier = new Notifier({
      notifications: service,
      logger: mockServices.logger.mock(),
    });
    await notifier.notify(
      ['group:default/team-assistants'],
      ['model:default/llama'],
      nameOf => ({ ...payload, description: nameOf('model:default/llama') }),
      'user:default/jonas.weber',
    );
    await eventually(() => expect(sent).toHaveLength(1));
    expect(sent[0]).toEqual({
      recipients: {
        type: 'entity',
        entityRef: ['group:default/team-assistants'],
        excludeEntityRef: 'user:default/jonas.weber',
      },
      payload: { ...payload, description: 'llama', topic: 'model-marketplace' },
    });
  });

  it('sends nothing to nobody', async () => {
    const { sent, service } = notifications();
    const notifier = new Notifier({
      notifications: service,
      logger: mockServices.logger.mock(),
    });
    const build = jest.fn(() => payload);
    await notifier.notify([], [], build);
    const prepared = await notifier.prepare([], [], build);
    expect(prepared.rows).toEqual([]);
    prepared.committed();
    await new Promise(resolve => setImmediate(resolve));
    expect(build).not.toHaveBeenCalled();
    expect(sent).toEqual([]);
  });

  it('logs a failed send instead of failing the caller', async () => {
    const { service } = notifications(new Error('notifications are down'));
    const logger = mockServices.logger.mock();
    const notifier = new Notifier({ notifications: service, logger });
    await expect(
      notifier.notify(['user:default/marcus.bell'], [], () => payload),
    ).resolves.toBeUndefined();
    await eventually(() =>
      expect(logger.warn).toHaveBeenCalledWith(
        'Could not send notification "Request approved": Error: notifications are down',
      ),
    );
  });

  it('sends a prepared notification only once committed, logging a failure', async () => {
    const { sent, service } = notifications();
    const notifier = new Notifier({
      notifications: service,
      logger: mockServices.logger.mock(),
    });
    const prepared = await notifier.prepare(
      ['user:default/marcus.bell'],
      [],
      () => payload,
    );
    expect(prepared.rows).toEqual([]);
    await new Promise(resolve => setImmediate(resolve));
    expect(sent).toEqual([]);
    prepared.committed();
    await eventually(() => expect(sent).toHaveLength(1));

    const failing = notifications(new Error('refused'));
    const logger = mockServices.logger.mock();
    const refused = await new Notifier({
      notifications: failing.service,
      logger,
    }).prepare(['user:default/marcus.bell'], [], () => payload);
    refused.committed();
    await eventually(() =>
      expect(logger.warn).toHaveBeenCalledWith(
        'Could not send notification "Request approved": Error: refused',
      ),
    );
  });

  it('drops a notification whose message cannot be built, and says why', async () => {
    const { sent, service } = notifications();
    const logger = mockServices.logger.mock();
    const notifier = new Notifier({ notifications: service, logger });
    await notifier.notify(['user:default/marcus.bell'], [], () => {
      throw new Error('no title');
    });
    expect(logger.warn).toHaveBeenCalledWith(
      'Could not build a notification: Error: no title',
    );
    await new Promise(resolve => setImmediate(resolve));
    expect(sent).toEqual([]);
  });
});

describe('Notifier with an outbox', () => {
  it('logs a notification the outbox could not store', async () => {
    // a database without the outbox table: every insert fails
    const db = knexFactory({
      client: 'better-sqlite3',
      connection: ':memory:',
      useNullAsDefault: true,
    });
    try {
      const { sent, service } = notifications();
      const logger = mockServices.logger.mock();
      const outbox = new NotificationOutbox({
        db,
        notifications: service,
        logger,
      });
      const notifier = new Notifier({ notifications: service, logger, outbox });
      await notifier.notify(['user:default/marcus.bell'], [], () => payload);
      expect(logger.error).toHaveBeenCalledWith(
        expect.stringMatching(
          /^Could not store notification "Request approved": .*no such table/,
        ),
      );
      expect(sent).toEqual([]);
    } finally {
      await db.destroy();
    }
  });
});
