import type {
  AuditorService,
  BackstageCredentials,
  BackstageUserPrincipal,
  PermissionsRegistryService,
  PermissionsService,
} from '@backstage/backend-plugin-api';
import { InputError, NotAllowedError, NotFoundError } from '@backstage/errors';
import type { ModelRequest } from '@aic/plugin-model-marketplace-common';
import type { Request } from 'express';
import { randomUUID } from 'node:crypto';
import type { RequestStore } from '../database/RequestStore';
import { TtlCache } from '../lib/TtlCache';
import type { ModelIndex } from '../index/ModelIndex';
import type { MarketplaceMetrics } from '../metrics/MarketplaceMetrics';
import { modelApprovers } from '../index/modelSummary';
import { checkAccessAnswers } from './access/checkAccessAnswers';
import { requestRevokedNotification } from './access/revokedNotification';
import { audited } from './audit';
import type { CatalogMembership } from './CatalogMembership';
import { decisionGuard } from './decisionGuard';
import type { ModelVisibility } from './ModelVisibility';
import {
  requestCreatedNotification,
  requestDecidedNotification,
} from './notificationMessages';
import type { Notifier } from './Notifier';
import { assertMayRequest } from './requestEligibility';

/** Who acts, and the HTTP request that asked, for the audit trail. */
export type WorkflowContext = {
  credentials: BackstageCredentials<BackstageUserPrincipal>;
  request?: Request;
};

/** A new request, with refs already normalised. */
export type NewRequestInput = {
  model: string;
  version?: string;
  team: string;
  purpose: string;
  /** Answers to the model's `spec.access.questions`, checked against them. */
  answers?: unknown;
};

/**
 * The request workflow: `pending` → `approved` | `rejected` | `cancelled`.
 * Every transition is checked, audited and notified here; moving a request
 * along with its deployment is {@link deploymentFollower}'s part.
 */
export interface RequestWorkflow {
  create(input: NewRequestInput, ctx: WorkflowContext): Promise<ModelRequest>;
  decide(
    id: string,
    input: { decision: 'approve' | 'reject'; comment?: string },
    ctx: WorkflowContext,
  ): Promise<ModelRequest>;
  cancel(
    id: string,
    input: { comment?: string },
    ctx: WorkflowContext,
  ): Promise<ModelRequest>;
  /** Withdraws an approved access (`approved` | `deployed` → `revoked`). */
  revoke(
    id: string,
    input: { reason: string },
    ctx: WorkflowContext,
  ): Promise<ModelRequest>;
}

/** The {@link RequestWorkflow} of the plugin. */
export class DefaultRequestWorkflow implements RequestWorkflow {
  private readonly assertMayDecide: ReturnType<typeof decisionGuard>;
  /**
   * Requests this process created or read lately, so that deciding a request
   * just created (the usual case) does not read it again. Only what never
   * changes after creation is used from here (who asked, for which team,
   * model and version, who approves): a transition names the status it needs
   * in its own update and refuses otherwise, so a stale status in this copy
   * can never let a transition through.
   */
  private readonly recent = new TtlCache<ModelRequest>({
    ttlMs: 10 * 60_000,
    maxEntries: 5_000,
  });

  constructor(
    private readonly deps: {
      requests: RequestStore;
      index: ModelIndex;
      visibility: ModelVisibility;
      membership: CatalogMembership;
      permissions: PermissionsService;
      permissionsRegistry: PermissionsRegistryService;
      auditor: AuditorService;
      notifier: Notifier;
      metrics?: MarketplaceMetrics;
    },
  ) {
    this.assertMayDecide = decisionGuard({
      permissions: deps.permissions,
      permissionsRegistry: deps.permissionsRegistry,
      userClaims: userRef => deps.membership.claimsOf(userRef),
    });
  }

  async create(
    input: NewRequestInput,
    ctx: WorkflowContext,
  ): Promise<ModelRequest> {
    const userRef = ctx.credentials.principal.userEntityRef;
    const purpose = input.purpose.trim();
    if (!purpose) {
      throw new InputError(`Invalid request body: 'purpose': is required`);
    }
    const model = await assertMayRequest(input, ctx.credentials, this.deps);
    const answers = checkAccessAnswers(model.entity, input.answers);
    const policy = model.summary.accessPolicy;
    const approvers = modelApprovers(model.entity);
    const id = randomUUID();
    // built first, so that its outbox row is written with the request
    const notification =
      policy === 'open'
        ? undefined
        : await this.deps.notifier.prepare(
            approvers,
            [input.model, input.team, userRef],
            nameOf =>
              requestCreatedNotification(nameOf, {
                model: input.model,
                version: input.version,
                team: input.team,
                purpose,
                id,
                requester: userRef,
              }),
            userRef,
          );
    const created = await audited(
      this.deps.auditor,
      {
        eventId: 'request-create',
        severityLevel: 'medium',
        request: ctx.request,
        meta: { model: input.model, team: input.team, accessPolicy: policy },
      },
      () =>
        this.deps.requests.createRequest({
          id,
          model: input.model,
          version: input.version,
          team: input.team,
          purpose,
          requester: userRef,
          accessPolicy: policy,
          approvers,
          autoApprove: policy === 'open',
          answers,
          notifications: notification?.rows,
        }),
      r => ({ requestId: r.id, status: r.status }),
    );
    notification?.committed();
    this.recent.set(created.id, created);
    this.deps.index.addPopularity(input.model);
    this.deps.metrics?.requestCreated(policy, created.status);
    return created;
  }

  async decide(
    id: string,
    input: { decision: 'approve' | 'reject'; comment?: string },
    ctx: WorkflowContext,
  ): Promise<ModelRequest> {
    const { credentials } = ctx;
    const userRef = credentials.principal.userEntityRef;
    const request = await this.getRequest(id);
    await this.assertMayDecide(request, credentials, 'decide');
    const to = input.decision === 'approve' ? 'approved' : 'rejected';
    const notification = await this.deps.notifier.prepare(
      [request.requester],
      [request.model, request.team, userRef],
      nameOf =>
        requestDecidedNotification(nameOf, request, {
          status: to,
          actor: userRef,
          comment: input.comment,
        }),
    );
    const updated = await audited(
      this.deps.auditor,
      {
        eventId: 'request-decide',
        severityLevel: 'medium',
        request: ctx.request,
        meta: {
          requestId: request.id,
          model: request.model,
          decision: input.decision,
        },
      },
      () =>
        this.deps.requests.transition(request.id, {
          from: ['pending'],
          to,
          action: to,
          actor: userRef,
          comment: input.comment,
          isDecision: true,
          notifications: notification.rows,
        }),
      r => ({ status: r.status }),
    );
    notification.committed();
    this.deps.metrics?.requestDecided(request, to);
    return updated;
  }

  async cancel(
    id: string,
    input: { comment?: string },
    ctx: WorkflowContext,
  ): Promise<ModelRequest> {
    const userRef = ctx.credentials.principal.userEntityRef;
    const request = await this.getRequest(id);
    if (request.requester !== userRef) {
      throw new NotAllowedError('Only the requester may cancel a request');
    }
    const cancelled = await audited(
      this.deps.auditor,
      {
        eventId: 'request-cancel',
        severityLevel: 'low',
        request: ctx.request,
        meta: { requestId: request.id, model: request.model },
      },
      () =>
        this.deps.requests.transition(request.id, {
          from: ['pending'],
          to: 'cancelled',
          action: 'cancelled',
          actor: userRef,
          comment: input.comment,
        }),
    );
    this.deps.metrics?.requestCancelled(request.accessPolicy);
    return cancelled;
  }

  async revoke(
    id: string,
    input: { reason: string },
    ctx: WorkflowContext,
  ): Promise<ModelRequest> {
    const userRef = ctx.credentials.principal.userEntityRef;
    const reason = input.reason.trim();
    if (!reason) {
      throw new InputError(`Invalid request body: 'reason': is required`);
    }
    const request = await this.getRequest(id);
    await this.assertMayDecide(request, ctx.credentials, 'revoke');
    const notification = await this.deps.notifier.prepare(
      [request.team, request.requester],
      [request.model, request.team, userRef],
      nameOf =>
        requestRevokedNotification(nameOf, request, { actor: userRef, reason }),
    );
    const revoked = await audited(
      this.deps.auditor,
      {
        eventId: 'request-revoke',
        severityLevel: 'high',
        request: ctx.request,
        meta: {
          requestId: request.id,
          model: request.model,
          team: request.team,
          reason,
        },
      },
      () =>
        this.deps.requests.transition(request.id, {
          from: ['approved', 'deployed'],
          to: 'revoked',
          action: 'revoked',
          actor: userRef,
          comment: reason,
          isRevocation: true,
          notifications: notification.rows,
        }),
      r => ({ status: r.status }),
    );
    notification.committed();
    return revoked;
  }

  /** The request `id` for the checks of a transition (see `recent`). */
  private async getRequest(id: string) {
    const cached = this.recent.get(id);
    if (cached) {
      return cached;
    }
    const request = await this.deps.requests.findRequest(id);
    if (!request) {
      throw new NotFoundError(`No request with id ${id}`);
    }
    this.recent.set(id, request);
    return request;
  }
}
