/**
 * Types of the request workflow: `/requests` and its sub-resources.
 */
import type { ModelAccessAnswers } from '../access/validateAccessAnswers';
import type { ModelAccessPolicy } from '../entity/ModelEntityV1alpha1';

/**
 * States of a request: `pending` → `approved` | `rejected` | `cancelled`;
 * `approved` → `deployed` → `retired`; `approved` or `deployed` →
 * `revoked` (an approver withdraws the access; no new deploys).
 *
 * @public
 */
export const MODEL_REQUEST_STATUSES = [
  'pending',
  'approved',
  'rejected',
  'cancelled',
  'deployed',
  'retired',
  'revoked',
] as const;

/** @public */
export type ModelRequestStatus = (typeof MODEL_REQUEST_STATUSES)[number];

/** A request for a model by a team. @public */
export type ModelRequest = {
  id: string;
  /** Entity ref of the model, `model:default/name`. */
  model: string;
  /** The requested version; absent means the default version. */
  version?: string;
  /** Entity ref of the team group, `group:default/team-search`. */
  team: string;
  purpose: string;
  status: ModelRequestStatus;
  /** Entity ref of the user who asked. */
  requester: string;
  /** The model's access policy when the request was made. */
  accessPolicy: ModelAccessPolicy;
  /** Entity refs of the approvers when the request was made. */
  approvers: string[];
  /** ISO timestamps. */
  createdAt: string;
  updatedAt: string;
  /** Entity ref of who approved or rejected, once decided. */
  decidedBy?: string;
  decidedAt?: string;
  decisionComment?: string;
  /** Answers to the model's access questions (`spec.access.questions`). */
  answers?: ModelAccessAnswers;
  /** Entity ref of the approver who revoked the access, once revoked. */
  revokedBy?: string;
  revokedAt?: string;
  revokeReason?: string;
};

/** What happened in one transition of a request. @public */
export type ModelRequestTimelineAction =
  | 'created'
  | 'approved'
  | 'rejected'
  | 'cancelled'
  | 'deployed'
  | 'retired'
  | 'revoked';

/** One row of a request's timeline: who did what, when. @public */
export type ModelRequestTimelineEntry = {
  action: ModelRequestTimelineAction;
  /** Absent for the creation. */
  fromStatus?: ModelRequestStatus;
  toStatus: ModelRequestStatus;
  /** Entity ref of the user (or service) that made the transition. */
  actor: string;
  /** ISO timestamp. */
  at: string;
  comment?: string;
};

/** Body of `GET /requests/:id`. @public */
export type ModelRequestWithTimeline = ModelRequest & {
  /** Oldest first. */
  timeline: ModelRequestTimelineEntry[];
};

/** Body of `POST /requests`. @public */
export type CreateModelRequestRequest = {
  /** Entity ref of the model, `model:default/name` or a bare name. */
  model: string;
  /** A version of the model; absent means the default version. */
  version?: string;
  /** Entity ref of a group the requester is a member of, or a bare name. */
  team: string;
  /** Why the team needs the model (1 to 2000 characters). */
  purpose: string;
  /**
   * Answers to the model's `spec.access.questions`, by question id; checked
   * with {@link validateAccessAnswers} (400 naming `answers.<id>`).
   */
  answers?: ModelAccessAnswers;
};

/**
 * Answer of `POST /requests` (201). Models with policy `open` start
 * `approved`, the others `pending`.
 *
 * @public
 */
export type CreateModelRequestResponse = {
  id: string;
  status: ModelRequestStatus;
};

/** Query of `GET /requests`. @public */
export type ListModelRequestsRequest = {
  /**
   * `requester`: requests the user made; `approver`: requests the user may
   * decide. Without it, users see both; services see every request.
   */
  role?: 'requester' | 'approver';
  /** Repeatable. */
  status?: ModelRequestStatus[];
  /** Entity ref of the model. */
  model?: string;
  /** Entity ref of the team. */
  team?: string;
  /** Page size, 1 to 500, default 100. Newest first. */
  limit?: number;
  offset?: number;
};

/** Body of `GET /requests`. @public */
export type ListModelRequestsResponse = {
  items: ModelRequest[];
  totalItems: number;
};

/** Body of `POST /requests/:id/decision`. @public */
export type DecideModelRequestRequest = {
  decision: 'approve' | 'reject';
  /** Up to 2000 characters. */
  comment?: string;
};

/** Body of `POST /requests/:id/cancel`. @public */
export type CancelModelRequestRequest = {
  comment?: string;
};

/** Body of `POST /requests/:id/revoke`. @public */
export type RevokeModelRequestRequest = {
  /** Why the access is withdrawn (1 to 2000 characters); the team sees it. */
  reason: string;
};

/** Formats of `GET /models/:namespace/:name/access-list`. @public */
export const ACCESS_LIST_FORMATS = ['csv', 'json'] as const;

/** @public */
export type AccessListFormat = (typeof ACCESS_LIST_FORMATS)[number];

/** Body of `GET /models/:namespace/:name/access-list?format=json`. @public */
export type ModelAccessListResponse = {
  model: string;
  /** The access questions, so the answers can be read. */
  questions: Array<{ id: string; label: string }>;
  /** Every request for the model, newest first. */
  items: ModelRequest[];
};
