// @ts-check

/**
 * Requests for models, their timelines and approvers, and the deployments
 * inventory.
 *
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.createTable('model_requests', table => {
    table.comment('Requests by a team to use a model');
    table
      .string('id', 36)
      .primary()
      .notNullable()
      .comment('UUID of the request');
    table
      .string('model_ref')
      .notNullable()
      .comment('Entity ref of the model, model:namespace/name');
    table
      .string('version')
      .nullable()
      .comment('Requested version; null means the default version');
    table
      .string('team_ref')
      .notNullable()
      .comment('Entity ref of the requesting team group');
    table.text('purpose').notNullable().comment('Why the team needs the model');
    table
      .string('status', 16)
      .notNullable()
      .comment('pending, approved, rejected, cancelled, deployed or retired');
    table
      .string('requester_ref')
      .notNullable()
      .comment('Entity ref of the user who asked');
    table
      .string('access_policy', 16)
      .notNullable()
      .comment('Access policy of the model when the request was made');
    table
      .text('approvers')
      .notNullable()
      .comment('JSON array of approver entity refs when the request was made');
    table
      .string('decided_by')
      .nullable()
      .comment('Entity ref of who approved or rejected');
    table
      .dateTime('decided_at', { precision: 3 })
      .nullable()
      .comment('When the request was approved or rejected');
    table
      .text('decision_comment')
      .nullable()
      .comment('Comment given with the decision');
    table
      .dateTime('created_at', { precision: 3 })
      .notNullable()
      .comment('When the request was made');
    table
      .dateTime('updated_at', { precision: 3 })
      .notNullable()
      .comment('When the request last changed status');
    table.index(
      ['model_ref', 'team_ref', 'status'],
      'model_requests_model_team_status_idx',
    );
    table.index(['requester_ref'], 'model_requests_requester_idx');
    table.index(['status'], 'model_requests_status_idx');
  });

  await knex.schema.createTable('model_request_approvers', table => {
    table.comment(
      'Approvers of each request, one row per approver ref, for approver queries',
    );
    table
      .string('request_id', 36)
      .notNullable()
      .references('id')
      .inTable('model_requests')
      .onDelete('CASCADE')
      .comment('The request');
    table
      .string('approver_ref')
      .notNullable()
      .comment('Entity ref of a group or user that may decide the request');
    table.primary(['request_id', 'approver_ref']);
    table.index(['approver_ref'], 'model_request_approvers_ref_idx');
  });

  await knex.schema.createTable('model_request_events', table => {
    table.comment('Timeline of each request: one row per state transition');
    table.bigIncrements('id').comment('Ordering key');
    table
      .string('request_id', 36)
      .notNullable()
      .references('id')
      .inTable('model_requests')
      .onDelete('CASCADE')
      .comment('The request');
    table
      .string('action', 16)
      .notNullable()
      .comment('created, approved, rejected, cancelled, deployed or retired');
    table
      .string('from_status', 16)
      .nullable()
      .comment('Status before the transition; null for the creation');
    table
      .string('to_status', 16)
      .notNullable()
      .comment('Status after the transition');
    table
      .string('actor_ref')
      .notNullable()
      .comment('Entity ref of the user or service that made the transition');
    table
      .text('comment')
      .nullable()
      .comment('Comment given with the transition');
    table
      .dateTime('created_at', { precision: 3 })
      .notNullable()
      .comment('When the transition happened');
    table.index(['request_id'], 'model_request_events_request_idx');
  });

  await knex.schema.createTable('model_deployments', table => {
    table.comment(
      'Inventory of model deployments recorded by the deploy actions',
    );
    table
      .string('id', 36)
      .primary()
      .notNullable()
      .comment('UUID of the deployment');
    table.string('model_ref').notNullable().comment('Entity ref of the model');
    table
      .string('version')
      .notNullable()
      .comment('Deployed version of the model');
    table
      .string('team_ref')
      .notNullable()
      .comment('Entity ref of the team that owns the deployment');
    table.string('cluster').notNullable().comment('Name of the cluster');
    table.string('namespace').notNullable().comment('Kubernetes namespace');
    table
      .text('objects')
      .notNullable()
      .comment('JSON array of the Kubernetes objects of the deployment');
    table
      .string('status', 16)
      .notNullable()
      .comment('deploying, deployed, failed or undeployed');
    table
      .text('endpoint')
      .nullable()
      .comment('In-cluster URL of the served model');
    table
      .string('request_id', 36)
      .nullable()
      .comment('The approved request this deployment fulfils');
    table
      .string('deployed_by')
      .notNullable()
      .comment('Entity ref of the user who ran the deploy');
    table.text('message').nullable().comment('Last message from the deployer');
    table
      .dateTime('created_at', { precision: 3 })
      .notNullable()
      .comment('When the deployment was recorded');
    table
      .dateTime('updated_at', { precision: 3 })
      .notNullable()
      .comment('When the record last changed');
    table.index(['model_ref'], 'model_deployments_model_idx');
    table.index(['team_ref'], 'model_deployments_team_idx');
  });
};

/**
 * @param {import('knex').Knex} knex
 */
exports.down = async function down(knex) {
  await knex.schema.dropTable('model_deployments');
  await knex.schema.dropTable('model_request_events');
  await knex.schema.dropTable('model_request_approvers');
  await knex.schema.dropTable('model_requests');
};
