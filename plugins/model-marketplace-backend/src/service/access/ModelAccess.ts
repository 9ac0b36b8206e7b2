import {
  type ModelAccessListResponse,
  type ModelRequest,
  type ModelRequestStatus,
  type ModelUsageResponse,
  modelRequestReadPermission,
} from '@aic/plugin-model-marketplace-common';
import type {
  BackstageCredentials,
  BackstageUserPrincipal,
  PermissionsService,
} from '@backstage/backend-plugin-api';
import { NotAllowedError } from '@backstage/errors';
import type { DeploymentStore } from '../../database/DeploymentStore';
import type { RequestStore } from '../../database/RequestStore';
import { modelApprovers } from '../../index/modelSummary';
import { assertAllowed } from '../../permissions/assertAllowed';
import type { CatalogMembership } from '../CatalogMembership';
import type { ModelVisibility } from '../ModelVisibility';
import { accessListCsv, answerColumns } from './accessListCsv';

/** A page of the store's list; the export reads every page. */
const PAGE = 500;

/** An access list ready to send: its file name and the body of its format. */
export type AccessListFile =
  | { format: 'json'; fileName: string; body: ModelAccessListResponse }
  | { format: 'csv'; fileName: string; body: string };

/**
 * Who uses a model (teams with approved access or live deployments) and the
 * access-list export for the model's approvers.
 */
export class ModelAccess {
  constructor(
    private readonly deps: {
      visibility: ModelVisibility;
      membership: CatalogMembership;
      permissions: PermissionsService;
      requests: RequestStore;
      deployments: DeploymentStore;
    },
  ) {}

  /** The teams using `ref`, most deployments first; 404 when hidden. */
  async usage(
    credentials: BackstageCredentials,
    ref: string,
  ): Promise<ModelUsageResponse> {
    const model = await this.deps.visibility.find(credentials, ref);
    const [approved, deployed] = await Promise.all([
      this.deps.requests.countByTeam(model.ref, ['approved', 'deployed']),
      this.deps.deployments.countActiveByTeam(model.ref),
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
    return {
      model: model.ref,
      teams,
      totals: {
        teams: teams.length,
        approvedRequests: teams.reduce((n, t) => n + t.approvedRequests, 0),
        deployments: teams.reduce((n, t) => n + t.deployments, 0),
      },
    };
  }

  /**
   * Every request for `ref` (optionally of some statuses) with their
   * answers, for an approver of the model only.
   */
  async accessList(
    credentials: BackstageCredentials<BackstageUserPrincipal>,
    ref: string,
    query: { format?: 'csv' | 'json'; status?: ModelRequestStatus[] },
  ): Promise<AccessListFile> {
    const model = await this.deps.visibility.find(credentials, ref);
    await assertAllowed(
      this.deps.permissions,
      credentials,
      modelRequestReadPermission,
    );
    const userRef = credentials.principal.userEntityRef;
    const approvers = modelApprovers(model.entity);
    const claims = await this.deps.membership.claimsOf(userRef);
    if (!approvers.some(a => claims.includes(a))) {
      throw new NotAllowedError(
        `Only approvers of ${
          model.ref
        } may export its access list (${approvers.join(', ')})`,
      );
    }
    const items: ModelRequest[] = [];
    for (let offset = 0; ; offset += PAGE) {
      const page = await this.deps.requests.listRequests({
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
    const fileName = `${model.entity.metadata.name}-access-list.${format}`;
    return format === 'json'
      ? { format, fileName, body: { model: model.ref, questions, items } }
      : { format, fileName, body: accessListCsv(questions, items) };
  }
}
