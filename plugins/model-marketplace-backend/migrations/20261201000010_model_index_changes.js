// @ts-check

/**
 * The change feed of the browse index. The catalog module announces a changed
 * Model entity only in the process that processed it; that process's
 * marketplace plugin writes the announcement here so that every replica's
 * in-memory index learns of it by reading the rows after the last one it
 * read.
 *
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.createTable('model_index_changes', table => {
    table.comment(
      'Model entities the catalog processed with new content, for the browse indexes of every replica',
    );
    table
      .bigIncrements('id')
      .comment('Ordering key; readers remember the last one they read');
    table
      .string('entity_ref', 512)
      .notNullable()
      .comment('Lower-cased entity ref of the Model');
    table
      .string('fingerprint', 32)
      .notNullable()
      .comment('Fingerprint of the processed entity (modelFingerprint)');
    table
      .timestamp('created_at', { useTz: true })
      .notNullable()
      .defaultTo(knex.fn.now())
      .comment('When the change was announced; old rows are pruned');
    table.index(['created_at'], 'model_index_changes_created_at_idx');
  });
};

/** @param {import('knex').Knex} knex */
exports.down = async function down(knex) {
  await knex.schema.dropTable('model_index_changes');
};
