import {
  ACCESS_LIST_FORMATS,
  MODEL_REQUEST_STATUSES,
  ModelAccessListResponse,
  ModelRequest,
  ModelUsageResponse,
  modelRequestReadPermission,
} from '@aic/plugin-model-marketplace-common';
import type {
  AuditorService,
  BackstageCredentials,
  HttpAuthService,
  PermissionsService,
} from '@backstage/backend-plugin-api';
import { parseEntityRef, stringifyEntityRef } from '@backstage/catalog-model';
import { InputError, NotAllowedError, NotFoundError } from '@backstage/errors';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import type express from 'express';
import { z } from 'zod';
import type { DeploymentStore } from '../../database/DeploymentStore';
import type { RequestStore } from '../../database/RequestStore';
import type { IndexedModel } from '../../index/ModelIndex';
import { modelApprovers } from '../../index/modelSummary';
import type { NameOf, NotificationPayload } from '../notificationMessages';
import { parseInput, repeatable } from '../parseQuery';
import { accessListCsv, answerColumns } from './accessListCsv';
import { requestRevokedNotification } from './revokedNotification';

/** What the access routes need from the router that mounts them. */
export type AccessRouteContext = {
  httpAuth: HttpAuthService;
  permissions: PermissionsService;
  auditor: AuditorService;
  requests: RequestStore;
  deployments: DeploymentStore;
  /** The model, or NotFoundError when the caller may not see it. */
  findVisibleModel(
    credentials: BackstageCredentials,
    ref: string,
  ): Promise<IndexedModel>;
  /** The user's ref and the refs of their groups. */
  userClaims(userRef: string): Promise<string[]>;
  /** Approver, permission and separation-of-duties checks of a decision. */
  assertMayDecide(
    request: ModelRequest,
    credentials: BackstageCredentials<{ type: 'user'; userEntityRef: string }>,
    verb: 'decide' | 'revoke',
  ): Promise<void>;
  /** Sends a notification without holding up the response. */
  notify(
    entityRef: string[],
    refs: Array<string | undefined>,
    build: (nameOf: NameOf) => NotificationPayload,
    exclude?: string,
  ): void;
};

const revokeBody = z
  .object({ reason: z.string().trim().min(1, 'is required').max(2000) })
  .strict();

const accessListQuery = z
  .object({
    format: z.enum(ACCESS_LIST_FORMATS).optional(),
    status: repeatable.pipe(z.array(z.enum(MODEL_REQUEST_STATUSES))).optional(),
  })
  .strict();

/** A page of the store's list; the export reads every page. */
const PAGE = 500;

function modelRefOf(params: { namespace: string; name: string }): string {
  try {
    return stringifyEntityRef(
      parseEntityRef(`model:${params.namespace}/${params.name}`),
    );
  } catch {
    throw new InputError(
      `Invalid model reference '${params.namespace}/${params.name}'`,
    );
  }
}

/**
 * The routes of who uses a model and of gated access: the usage of a model
 * by teams, the access-list export for approvers and revoking an approved
 * access. Registered on the plugin's router by `createRouter`.
 */
export function registerAccessRoutes(
  router: express.Router,
  ctx: AccessRouteContext,
): void {
  const { httpAuth, permissions, auditor, requests, deployments } = ctx;

  router.get('/models/:namespace/:name/usage', async (req, res) => {
    const credentials = await httpAuth.credentials(req, {
      allow: ['user', 'service'],
    });
    const model = await ctx.findVisibleModel(
      credentials,
      modelRefOf(req.params),
    );
    const [approved, deployed] = await Promise.all([
      requests.countByTeam(model.ref, ['approved', 'deployed']),
      deployments.countActiveByTeam(model.ref),
    ]);
    const teams = [...new Set([...approved.keys(), ...deployed.keys()])]
      .map(team => ({
        team,
        approvedRequests: approved.get(team) ?? 0,
        deployments: deployed.get(team) ?? 0,
      }))
      .sort(
        (a, b) =>
          b.deployments - a.deployments ||
          b.approvedRequests - a.approvedRequests ||
          a.team.localeCompare(b.team),
      );
    const body: ModelUsageResponse = {
      model: model.ref,
      teams,
      totals: {
        teams: teams.length,
        approvedRequests: teams.reduce((n, t) => n + t.approvedRequests, 0),
        deployments: teams.reduce((n, t) => n + t.deployments, 0),
      },
    };
    res.json(body);
  });

  router.get('/models/:namespace/:name/access-list', async (req, res) => {
    const credentials = await httpAuth.credentials(req, { allow: ['user'] });
    const userRef = credentials.principal.userEntityRef;
    const query = parseInput(accessListQuery, req.query, 'query');
    const model = await ctx.findVisibleModel(
      credentials,
      modelRefOf(req.params),
    );
    const [decision] = await permissions.authorize(
      [{ permission: modelRequestReadPermission }],
      { credentials },
    );
    if (decision.result !== AuthorizeResult.ALLOW) {
      throw new NotAllowedError(
        `Not allowed: ${modelRequestReadPermission.name}`,
      );
    }
    const approvers = modelApprovers(model.entity);
    const claims = await ctx.userClaims(userRef);
    if (!approvers.some(a => claims.includes(a))) {
      throw new NotAllowedError(
        `Only approvers of ${
          model.ref
        } may export its access list (${approvers.join(', ')})`,
      );
    }
    const items: ModelRequest[] = [];
    for (let offset = 0; ; offset += PAGE) {
      const page = await requests.listRequests({
        model: model.ref,
        status: query.status,
        limit: PAGE,
        offset,
      });
      items.push(...page.items);
      if (page.items.length < PAGE) {
        break;
      }
    }
    const questions = answerColumns(
      model.entity.spec.access?.questions ?? [],
      items,
    );
    const format = query.format ?? 'csv';
    const file = `${model.entity.metadata.name}-access-list.${format}`;
    res.setHeader('Content-Disposition', `attachment; filename="${file}"`);
    if (format === 'json') {
      const body: ModelAccessListResponse = {
        model: model.ref,
        questions,
        items,
      };
      res.json(body);
      return;
    }
    res.type('text/csv; charset=utf-8').send(accessListCsv(questions, items));
  });

  router.post('/requests/:id/revoke', async (req, res) => {
    const credentials = await httpAuth.credentials(req, { allow: ['user'] });
    const userRef = credentials.principal.userEntityRef;
    const body = parseInput(revokeBody, req.body, 'request body');
    const request = await requests.getRequest(req.params.id);
    if (!request) {
      throw new NotFoundError(`No request with id ${req.params.id}`);
    }
    await ctx.assertMayDecide(request, credentials, 'revoke');
    const auditorEvent = await auditor.createEvent({
      eventId: 'request-revoke',
      severityLevel: 'high',
      request: req,
      meta: {
        requestId: request.id,
        model: request.model,
        team: request.team,
        reason: body.reason,
      },
    });
    let revoked: ModelRequest;
    try {
      revoked = await requests.transition(request.id, {
        from: ['approved', 'deployed'],
        to: 'revoked',
        action: 'revoked',
        actor: userRef,
        comment: body.reason,
        isRevocation: true,
      });
    } catch (error) {
      await auditorEvent.fail({ error: error as Error });
      throw error;
    }
    await auditorEvent.success({ meta: { status: revoked.status } });
    ctx.notify(
      [request.team, request.requester],
      [request.model, request.team, userRef],
      nameOf =>
        requestRevokedNotification(nameOf, request, {
          actor: userRef,
          reason: body.reason,
        }),
    );
    res.json(revoked);
  });
}
