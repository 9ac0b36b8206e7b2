// @ts-check

/**
 * One live inventory row per workload, and a history of what happened to
 * each workload kept apart.
 *
 * Before this migration every deploy added a row, so re-deploying the same
 * model into the same place left several rows, and undeployed rows stayed
 * in the table. Now `model_deployments` holds exactly one row per workload
 * (cluster, namespace, model, name of the runtime workload) while that
 * workload exists or last failed; an undeploy removes the row. Every change
 * is recorded in `model_deployment_events`.
 *
 * Existing rows are folded: per workload the newest row that is not
 * undeployed stays live; every row becomes a history event.
 *
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.createTable('model_deployment_events', table => {
    table.comment(
      'History of the deployments inventory: one row per change of a workload',
    );
    table.bigIncrements('id').comment('Ordering key');
    table
      .string('deployment_id', 36)
      .notNullable()
      .comment(
        'Id of the live inventory row the event belongs to; the row may since have been removed',
      );
    table
      .string('event', 16)
      .notNullable()
      .comment(
        'deploying, deployed, updated, failed, rolled-back, rollback-failed or undeployed',
      );
    table
      .string('status', 16)
      .notNullable()
      .comment('Status of the inventory row after the event');
    table.string('model_ref').notNullable().comment('Entity ref of the model');
    table.string('version').notNullable().comment('Version of the model');
    table
      .string('team_ref')
      .notNullable()
      .comment('Entity ref of the team that owns the deployment');
    table.string('cluster').notNullable().comment('Name of the cluster');
    table.string('namespace').notNullable().comment('Kubernetes namespace');
    table
      .string('workload')
      .notNullable()
      .comment('Name of the runtime workload (Deployment or InferenceService)');
    table
      .text('objects')
      .notNullable()
      .comment(
        'JSON array of the Kubernetes objects recorded on the row after the event',
      );
    table
      .string('actor_ref')
      .notNullable()
      .comment('Entity ref of the user or service that caused the event');
    table.text('message').nullable().comment('Message of the event');
    table
      .dateTime('created_at', { precision: 3 })
      .notNullable()
      .comment('When the event happened');
    table.index(['deployment_id'], 'model_deployment_events_deployment_idx');
    table.index(['model_ref'], 'model_deployment_events_model_idx');
  });

  await knex.schema.alterTable('model_deployments', table => {
    table
      .string('workload')
      .notNullable()
      .defaultTo('')
      .comment(
        'Name of the runtime workload (Deployment or InferenceService); with cluster, namespace and model it names the one live row of a workload',
      );
  });

  const rows = await knex('model_deployments').select();
  /** @type {Map<string, any[]>} */
  const byWorkload = new Map();
  for (const row of rows) {
    const workload = workloadOf(row.objects);
    row.workload = workload;
    const key = JSON.stringify([
      row.cluster,
      row.namespace,
      row.model_ref,
      workload,
    ]);
    const list = byWorkload.get(key) ?? [];
    list.push(row);
    byWorkload.set(key, list);
  }
  for (const list of byWorkload.values()) {
    list.sort(
      (a, b) =>
        new Date(b.updated_at).getTime() - new Date(a.updated_at).getTime(),
    );
    const live = list.find(r => r.status !== 'undeployed');
    for (const row of list) {
      await knex('model_deployment_events').insert({
        deployment_id: row.id,
        event: row.status,
        status: row.status,
        model_ref: row.model_ref,
        version: row.version,
        team_ref: row.team_ref,
        cluster: row.cluster,
        namespace: row.namespace,
        workload: row.workload,
        objects: row.objects,
        actor_ref: row.deployed_by,
        message: row.message,
        created_at: row.updated_at,
      });
      if (row === live) {
        await knex('model_deployments')
          .where({ id: row.id })
          .update({ workload: row.workload });
      } else {
        await knex('model_deployments').where({ id: row.id }).delete();
      }
    }
  }

  await knex.schema.alterTable('model_deployments', table => {
    table.unique(['cluster', 'namespace', 'model_ref', 'workload'], {
      indexName: 'model_deployments_workload_uniq',
    });
    table.index(['status', 'updated_at'], 'model_deployments_status_idx');
  });
};

/**
 * The name of the workload among a row's objects: the first Deployment or
 * InferenceService, else the first object.
 *
 * @param {string} objectsJson
 * @returns {string}
 */
function workloadOf(objectsJson) {
  /** @type {Array<{ kind?: string, name?: string }>} */
  let objects = [];
  try {
    objects = JSON.parse(objectsJson);
  } catch {
    objects = [];
  }
  const workload =
    objects.find(
      o => o.kind === 'Deployment' || o.kind === 'InferenceService',
    ) ?? objects[0];
  return workload?.name ?? '';
}

/**
 * @param {import('knex').Knex} knex
 */
exports.down = async function down(knex) {
  await knex.schema.alterTable('model_deployments', table => {
    table.dropIndex([], 'model_deployments_status_idx');
    table.dropUnique([], 'model_deployments_workload_uniq');
    table.dropColumn('workload');
  });
  await knex.schema.dropTable('model_deployment_events');
};
