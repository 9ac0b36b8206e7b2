import type {
  ModelAccessAnswers,
  ModelAccessPolicy,
  ModelRequest,
  ModelRequestStatus,
  ModelRequestTimelineAction,
  ModelRequestWithTimeline,
} from '@aic/plugin-model-marketplace-common';
import type { StoreWriteOptions } from './util';

/** What is needed to record a new request. */
export type NewModelRequest = {
  model: string;
  version?: string;
  team: string;
  purpose: string;
  requester: string;
  accessPolicy: ModelAccessPolicy;
  approvers: string[];
  /** Requests for `open` models are approved at once. */
  autoApprove: boolean;
  /** Validated answers to the model's access questions. */
  answers?: ModelAccessAnswers;
  /** The id to give the request; a new UUID by default. */
  id?: string;
  /**
   * Outbox rows (serialized notifications, see NotificationOutbox) written
   * in the same transaction as the request: both are stored, or neither.
   */
  notifications?: string[];
};

/** A state change of a request. */
export type RequestTransition = {
  /** The statuses the request must be in for the change to apply. */
  from: ModelRequestStatus[];
  to: ModelRequestStatus;
  action: ModelRequestTimelineAction;
  actor: string;
  comment?: string;
  /** Record the actor and comment as the decision (approve/reject). */
  isDecision?: boolean;
  /** Record the actor and comment as the revocation of the access. */
  isRevocation?: boolean;
  /**
   * Outbox rows (serialized notifications, see NotificationOutbox) written
   * in the same transaction as the change, and only if it applies.
   */
  notifications?: string[];
};

/** Filters of {@link RequestStore.listRequests}. */
export type RequestListFilter = {
  /** Only requests made by this user. */
  requester?: string;
  /** Only requests one of these refs may decide. */
  approverRefs?: string[];
  /** With both requester and approverRefs: match either instead of both. */
  either?: boolean;
  status?: ModelRequestStatus[];
  model?: string;
  team?: string;
  limit: number;
  offset: number;
};

/** The pending requests of one access policy. */
export type PendingRequests = {
  policy: string;
  count: number;
  /** When the oldest of them was created (ISO 8601). */
  oldestCreatedAt: string;
};

/** Persistence of requests and their timelines. */
export interface RequestStore {
  /**
   * Records a new request. Throws DuplicateRequestError (a ConflictError)
   * when the team already has a pending, approved or deployed request for
   * the same model and version, also when two such calls race.
   */
  createRequest(input: NewModelRequest): Promise<ModelRequest>;
  /** The team's pending, approved or deployed request for a model and version. */
  findOpenRequest(filter: {
    model: string;
    team: string;
    version?: string;
  }): Promise<ModelRequest | undefined>;
  getRequest(id: string): Promise<ModelRequestWithTimeline | undefined>;
  /** The request without its timeline (one query instead of two). */
  findRequest(id: string): Promise<ModelRequest | undefined>;
  listRequests(
    filter: RequestListFilter,
  ): Promise<{ items: ModelRequest[]; totalItems: number }>;
  /**
   * Moves a request from one of `from` to `to`, with a timeline row, in one
   * transaction. Throws NotFoundError for an unknown id and ConflictError
   * when the request is not in one of the `from` statuses (also when another
   * caller changed it first).
   */
  transition(
    id: string,
    transition: RequestTransition,
    options?: StoreWriteOptions,
  ): Promise<ModelRequest>;
  /** Number of requests for one model, by status. */
  countByStatus(model: string): Promise<Record<ModelRequestStatus, number>>;
  /** Number of requests for one model per team, in the given statuses. */
  countByTeam(
    model: string,
    statuses: ModelRequestStatus[],
  ): Promise<Map<string, number>>;
  /** Number of requests per model ref, for popularity. */
  countByModel(): Promise<Map<string, number>>;
  /** Pending requests per access policy, and when the oldest was created. */
  pendingByPolicy(): Promise<PendingRequests[]>;
}
