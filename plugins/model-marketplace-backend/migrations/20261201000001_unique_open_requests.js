// @ts-check

/**
 * At most one open request per team, model and version.
 *
 * A request is open while it is `pending` or `approved`. A partial unique
 * index over (model_ref, team_ref, version) restricted to those statuses
 * makes the database refuse a second open request, so two concurrent
 * `POST /requests` cannot both succeed (PostgreSQL and SQLite both support
 * partial indexes on expressions). A missing version (the model's default)
 * is indexed as the empty string, because a unique index treats NULLs as
 * distinct. The plugin turns the violation into a 409 naming the existing
 * request; it also refuses a new request while one is `deployed`, which is
 * a check in the same code path, not part of this index.
 *
 * Databases created before this migration may already hold duplicates. For
 * each team, model and version, the oldest `approved` request (else the
 * oldest `pending` one) stays; the other open duplicates are `cancelled`,
 * with a timeline row saying which request they duplicate.
 *
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  const open = await knex('model_requests')
    .whereIn('status', ['pending', 'approved'])
    .select('id', 'model_ref', 'team_ref', 'version', 'status', 'created_at')
    .orderBy([
      { column: 'created_at', order: 'asc' },
      { column: 'id', order: 'asc' },
    ]);
  /** @type {Map<string, Array<{ id: string, status: string }>>} */
  const groups = new Map();
  for (const row of open) {
    const key = JSON.stringify([
      row.model_ref,
      row.team_ref,
      row.version ?? '',
    ]);
    const list = groups.get(key) ?? [];
    list.push(row);
    groups.set(key, list);
  }
  const now = new Date().toISOString();
  for (const list of groups.values()) {
    if (list.length < 2) {
      continue;
    }
    const keep = list.find(r => r.status === 'approved') ?? list[0];
    for (const row of list) {
      if (row.id === keep.id) {
        continue;
      }
      await knex('model_requests')
        .where({ id: row.id })
        .update({ status: 'cancelled', updated_at: now });
      await knex('model_request_events').insert({
        request_id: row.id,
        action: 'cancelled',
        from_status: row.status,
        to_status: 'cancelled',
        actor_ref: 'plugin:model-marketplace',
        comment: `Cancelled as a duplicate of request ${keep.id}: a team may have only one open request per model and version`,
        created_at: now,
      });
    }
  }

  await knex.raw(
    `CREATE UNIQUE INDEX model_requests_one_open_idx
       ON model_requests (model_ref, team_ref, (COALESCE(version, '')))
       WHERE status IN ('pending', 'approved')`,
  );
};

/**
 * @param {import('knex').Knex} knex
 */
exports.down = async function down(knex) {
  await knex.raw('DROP INDEX model_requests_one_open_idx');
};
