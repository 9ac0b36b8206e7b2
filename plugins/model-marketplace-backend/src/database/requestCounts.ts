import {
  MODEL_REQUEST_STATUSES,
  type ModelRequestStatus,
} from '@aic/plugin-model-marketplace-common';
import type { Knex } from 'knex';
import type { PendingRequests } from './RequestStore';
import type { RequestRow } from './requestRows';
import { toCount, toIso } from './util';

/*
 * The request store's counting queries (moved out of DatabaseRequestStore
 * unchanged).
 */

export async function countByStatus(
  db: Knex,
  model: string,
): Promise<Record<ModelRequestStatus, number>> {
  const rows = (await db('model_requests')
    .where({ model_ref: model })
    .select('status')
    .count({ count: '*' })
    .groupBy('status')) as Array<{ status: string; count: unknown }>;
  const counts = Object.fromEntries(
    MODEL_REQUEST_STATUSES.map(s => [s, 0]),
  ) as Record<ModelRequestStatus, number>;
  for (const row of rows) {
    counts[row.status as ModelRequestStatus] = toCount(row.count);
  }
  return counts;
}

export async function countByTeam(
  db: Knex,
  model: string,
  statuses: ModelRequestStatus[],
): Promise<Map<string, number>> {
  const rows = (await db('model_requests')
    .where({ model_ref: model })
    .whereIn('status', statuses)
    .select('team_ref')
    .count({ count: '*' })
    .groupBy('team_ref')) as Array<{ team_ref: string; count: unknown }>;
  return new Map(rows.map(r => [String(r.team_ref), toCount(r.count)]));
}

export async function countByModel(db: Knex): Promise<Map<string, number>> {
  const rows = (await db('model_requests')
    .select('model_ref')
    .count({ count: '*' })
    .groupBy('model_ref')) as Array<{ model_ref: string; count: unknown }>;
  return new Map(rows.map(r => [String(r.model_ref), toCount(r.count)]));
}

export async function pendingByPolicy(db: Knex): Promise<PendingRequests[]> {
  const rows = await db<RequestRow>('model_requests')
    .where('status', 'pending')
    .select({ policy: 'access_policy' })
    .count({ count: '*' })
    .min({ oldest: 'created_at' })
    .groupBy('access_policy');
  return rows.map(r => ({
    policy: String(r.policy),
    count: toCount(r.count),
    oldestCreatedAt: toIso(r.oldest)!,
  }));
}
