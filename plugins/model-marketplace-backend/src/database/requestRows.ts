import type {
  ModelAccessPolicy,
  ModelRequest,
  ModelRequestStatus,
  ModelRequestTimelineAction,
} from '@aic/plugin-model-marketplace-common';
import { toIso } from './util';

/** The rows of the request store's tables, and how a row becomes a request. */

/**
 * A team may hold one request per model and version in these statuses; a
 * new one is refused with a DuplicateRequestError. `pending` and `approved`
 * are also guarded by a partial unique index.
 */
export const OPEN_STATUSES: ModelRequestStatus[] = [
  'pending',
  'approved',
  'deployed',
];

export type RequestRow = {
  id: string;
  model_ref: string;
  version: string | null;
  team_ref: string;
  purpose: string;
  status: ModelRequestStatus;
  requester_ref: string;
  access_policy: ModelAccessPolicy;
  approvers: string;
  decided_by: string | null;
  decided_at: Date | string | null;
  decision_comment: string | null;
  created_at: Date | string;
  updated_at: Date | string;
  answers?: string | null;
  revoked_by?: string | null;
  revoked_at?: Date | string | null;
  revoke_reason?: string | null;
};

export type EventRow = {
  id: number;
  request_id: string;
  action: ModelRequestTimelineAction;
  from_status: ModelRequestStatus | null;
  to_status: ModelRequestStatus;
  actor_ref: string;
  comment: string | null;
  created_at: Date | string;
};

/** The request a `model_requests` row describes. */
export function toRequest(row: RequestRow): ModelRequest {
  return {
    id: row.id,
    model: row.model_ref,
    ...(row.version ? { version: row.version } : {}),
    team: row.team_ref,
    purpose: row.purpose,
    status: row.status,
    requester: row.requester_ref,
    accessPolicy: row.access_policy,
    approvers: JSON.parse(row.approvers),
    createdAt: toIso(row.created_at)!,
    updatedAt: toIso(row.updated_at)!,
    ...(row.decided_by ? { decidedBy: row.decided_by } : {}),
    ...(row.decided_at ? { decidedAt: toIso(row.decided_at) } : {}),
    ...(row.decision_comment ? { decisionComment: row.decision_comment } : {}),
    ...(row.answers ? { answers: JSON.parse(row.answers) } : {}),
    ...(row.revoked_by ? { revokedBy: row.revoked_by } : {}),
    ...(row.revoked_at ? { revokedAt: toIso(row.revoked_at) } : {}),
    ...(row.revoke_reason ? { revokeReason: row.revoke_reason } : {}),
  };
}
