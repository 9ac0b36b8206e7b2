// @ts-check

/**
 * The notification outbox. A notification is written here before the action
 * that caused it is acknowledged and sent by a drain afterwards
 * (NotificationOutbox), so the request path does not wait for the
 * notifications backend and a notification survives a crash. A row is
 * claimed by one replica before it is sent and deleted once sent.
 *
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.createTable('model_notification_outbox', table => {
    table.comment('Notifications of the marketplace waiting to be sent');
    table.bigIncrements('id').comment('Sending order');
    table
      .text('notification')
      .notNullable()
      .comment('JSON of the notification send options (recipients, payload)');
    table
      .string('claimed_by', 64)
      .nullable()
      .comment('Random token of the drain that is sending this row, if any');
    table
      .bigInteger('claimed_at')
      .nullable()
      .comment('When it was claimed (epoch ms); a stale claim is taken over');
    table
      .integer('attempts')
      .notNullable()
      .defaultTo(0)
      .comment('Failed sends so far; the row is dropped after a few');
    table
      .timestamp('created_at', { useTz: true })
      .notNullable()
      .defaultTo(knex.fn.now());
    table.index(['claimed_by'], 'model_notification_outbox_claimed_by_idx');
  });
};

/** @param {import('knex').Knex} knex */
exports.down = async function down(knex) {
  await knex.schema.dropTable('model_notification_outbox');
};
