// @ts-check

/**
 * Answers to a model's access questions, kept with the request, and the
 * revocation of an approved access (who, when, why). Existing rows get
 * nulls: they were made without questions and were never revoked.
 *
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.alterTable('model_requests', table => {
    table
      .text('answers')
      .nullable()
      .comment(
        "JSON object of the answers to the model's spec.access.questions, by question id; null when none were asked",
      );
    table
      .string('revoked_by')
      .nullable()
      .comment('Entity ref of the approver who revoked the access');
    table
      .dateTime('revoked_at', { precision: 3 })
      .nullable()
      .comment('When the access was revoked');
    table
      .text('revoke_reason')
      .nullable()
      .comment('Why the access was revoked, as the team was told');
  });
};

/**
 * @param {import('knex').Knex} knex
 */
exports.down = async function down(knex) {
  await knex.schema.alterTable('model_requests', table => {
    table.dropColumn('revoke_reason');
    table.dropColumn('revoked_at');
    table.dropColumn('revoked_by');
    table.dropColumn('answers');
  });
};
