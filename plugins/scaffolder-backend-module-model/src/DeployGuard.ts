import {
  ANNOTATION_KUBERNETES_NAMESPACES,
  ModelEntityV1alpha1,
  isModelEntity,
  modelAccessPolicy,
  parseTeamNamespaces,
} from '@aic/plugin-model-marketplace-common';
import type { AuthService, LoggerService } from '@backstage/backend-plugin-api';
import {
  Entity,
  RELATION_HAS_MEMBER,
  RELATION_MEMBER_OF,
  parseEntityRef,
  stringifyEntityRef,
} from '@backstage/catalog-model';
import {
  InputError,
  NotAllowedError,
  NotFoundError,
  isError,
} from '@backstage/errors';
import type { CatalogService } from '@backstage/plugin-catalog-node';
import type { ApprovalChecker } from './MarketplaceGateway';
import { withoutStackTrace } from './withoutStackTrace';

/** What the guard decided, with the entities it read. @public */
export type DeployCheckResult = {
  model: ModelEntityV1alpha1;
  team: Entity;
  teamRef: string;
  modelRef: string;
  cluster: string;
  namespace: string;
  /** The approved request the deploy fulfils, when the policy needs one. */
  requestId?: string;
};

/** What {@link DeployGuard.check} checks. @public */
export type DeployCheckOptions = {
  userRef?: string;
  model: string;
  team: string;
  namespace: string;
  cluster?: string;
  /** Checks the approval; `version` is the resolved version. */
  version?: (model: ModelEntityV1alpha1) => string;
  requireApproval?: boolean;
};

function refs(
  entity: Entity,
  relation: string,
  specField: unknown,
  defaultKind: string,
): string[] {
  const out = new Set<string>();
  for (const r of entity.relations ?? []) {
    if (r.type === relation) {
      out.add(r.targetRef);
    }
  }
  if (Array.isArray(specField)) {
    for (const s of specField) {
      if (typeof s === 'string') {
        out.add(
          stringifyEntityRef(
            parseEntityRef(s, {
              defaultKind,
              defaultNamespace: entity.metadata.namespace ?? 'default',
            }),
          ),
        );
      }
    }
  }
  return [...out];
}

/**
 * The checks every deploy passes before any cluster call: the user is a
 * member of the team, the team owns the namespace (group annotation
 * `aic.dev/kubernetes-namespaces`), and a model whose access policy is not
 * `open` (a model without `spec.access` counts as `approval`) has an
 * approved request for the team.
 *
 * @public
 */
export class DeployGuard {
  constructor(
    private readonly deps: {
      catalog: CatalogService;
      auth: AuthService;
      approvals: ApprovalChecker;
      logger: LoggerService;
      /** The configured cluster names. */
      clusterNames: () => string[];
    },
  ) {}

  private async getEntity(ref: string, defaultKind: string): Promise<Entity> {
    const credentials = await this.deps.auth.getOwnServiceCredentials();
    let parsed;
    try {
      parsed = parseEntityRef(ref, {
        defaultKind,
        defaultNamespace: 'default',
      });
    } catch (e) {
      throw new InputError(`Invalid entity ref '${ref}'`);
    }
    const entity = await this.deps.catalog.getEntityByRef(parsed, {
      credentials,
    });
    if (!entity) {
      throw new NotFoundError(
        `${stringifyEntityRef(parsed)} is not in the catalog`,
      );
    }
    return entity;
  }

  /**
   * Runs the checks. Refusals are InputError, NotAllowedError or
   * NotFoundError with a message for the user and no stack trace, because
   * the scaffolder writes a failed step's stack into the task log.
   */
  async check(options: DeployCheckOptions): Promise<DeployCheckResult> {
    try {
      return await this.runChecks(options);
    } catch (error) {
      const clean = withoutStackTrace(error);
      if (clean !== error) {
        this.deps.logger.error(
          'The deploy checks failed unexpectedly',
          isError(error) ? error : { error: String(error) },
        );
      }
      throw clean;
    }
  }

  private async runChecks(
    options: DeployCheckOptions,
  ): Promise<DeployCheckResult> {
    if (!options.userRef) {
      throw new NotAllowedError(
        'The task has no user; cannot check team membership',
      );
    }
    const model = await this.getEntity(options.model, 'Model');
    if (!isModelEntity(model)) {
      throw new InputError(`${options.model} is not a Model`);
    }
    const team = await this.getEntity(options.team, 'Group');
    if (team.kind !== 'Group') {
      throw new InputError(`${options.team} is not a Group`);
    }
    const teamRef = stringifyEntityRef(team);
    const modelRef = stringifyEntityRef(model);
    const userRef = stringifyEntityRef(
      parseEntityRef(options.userRef, { defaultKind: 'User' }),
    );

    const members = refs(team, RELATION_HAS_MEMBER, undefined, 'User');
    let isMember = members.includes(userRef);
    if (!isMember) {
      const user = await this.getEntity(userRef, 'User').catch(() => undefined);
      if (user) {
        isMember = refs(
          user,
          RELATION_MEMBER_OF,
          user.spec?.memberOf,
          'Group',
        ).includes(teamRef);
      }
    }
    if (!isMember) {
      throw new NotAllowedError(`${userRef} is not a member of ${teamRef}`);
    }

    const owned = parseTeamNamespaces(
      team.metadata.annotations?.[ANNOTATION_KUBERNETES_NAMESPACES],
    );
    let cluster = options.cluster;
    if (!cluster) {
      const clusters = [
        ...new Set(
          owned
            .filter(o => o.namespace === options.namespace && o.cluster)
            .map(o => o.cluster),
        ),
      ];
      const configured = this.deps.clusterNames();
      if (clusters.length === 1) {
        cluster = clusters[0];
      } else if (configured.length === 1) {
        cluster = configured[0];
      } else {
        throw new InputError(
          `Cannot tell which cluster to use for namespace '${options.namespace}'; give the cluster input`,
        );
      }
    }
    if (
      !owned.some(
        o => o.cluster === cluster && o.namespace === options.namespace,
      )
    ) {
      throw new NotAllowedError(
        `${teamRef} does not own namespace '${options.namespace}' on cluster '${cluster}'`,
      );
    }

    let requestId: string | undefined;
    // A model without spec.access needs approval, as everywhere else.
    const policy = modelAccessPolicy(model);
    if (options.requireApproval !== false && policy !== 'open') {
      const version = options.version?.(model) ?? '';
      let approved: { id: string } | undefined;
      try {
        approved = await this.deps.approvals.findApprovedRequest({
          model: modelRef,
          team: teamRef,
          version,
        });
      } catch (error) {
        this.deps.logger.warn(
          `Cannot reach the marketplace backend to check approval: ${
            isError(error) ? error.message : String(error)
          }`,
        );
        throw new NotAllowedError(
          `Cannot verify that ${teamRef} has an approved request for ${modelRef}: the marketplace backend did not answer`,
        );
      }
      if (!approved) {
        const revoked = await this.deps.approvals
          .findRevokedRequest?.({ model: modelRef, team: teamRef, version })
          .catch(() => undefined);
        if (revoked) {
          throw new NotAllowedError(
            `The access of ${teamRef} to ${modelRef} was revoked${
              revoked.revokedBy ? ` by ${revoked.revokedBy}` : ''
            }${revoked.reason ? `: ${revoked.reason}` : ''} (request ${
              revoked.id
            }); request it again to deploy`,
          );
        }
        throw new NotAllowedError(
          `${modelRef} has access policy '${policy}' and ${teamRef} has no approved request for it`,
        );
      }
      requestId = approved.id;
    }
    return {
      model,
      team,
      teamRef,
      modelRef,
      cluster,
      namespace: options.namespace,
      requestId,
    };
  }
}
