import type {
  AuditorService,
  LoggerService,
} from '@backstage/backend-plugin-api';
import { ConflictError, InputError, NotFoundError } from '@backstage/errors';
import type {
  CreateDeploymentRecordRequest,
  DeploymentEvent,
  DeploymentRecord,
  DeploymentStatusReader,
  ModelRequest,
  UpdateDeploymentRecordRequest,
} from '@aic/plugin-model-marketplace-common';
import type { JsonObject } from '@backstage/types';
import type { Request } from 'express';
import type {
  DeploymentEventFilter,
  DeploymentListFilter,
  DeploymentStore,
} from '../database/DeploymentStore';
import type { RequestStore } from '../database/RequestStore';
import { audited } from './audit';
import type { deploymentFollower } from './deploymentFollower';
import type { DiscoveredDeployments } from './DiscoveredDeployments';
import {
  deployedNotification,
  rollbackFailedNotification,
} from './notificationMessages';
import type { Notifier } from './Notifier';

/**
 * The deployments inventory: reads it with live status from the clusters,
 * and records what deploys do, moving each deployment's request along in
 * the same transaction. Writes are audited and the team is notified.
 */
export class DeploymentInventory {
  constructor(
    private readonly deps: {
      deployments: DeploymentStore;
      requests: RequestStore;
      followDeployment: ReturnType<typeof deploymentFollower>;
      auditor: AuditorService;
      notifier: Notifier;
      logger: LoggerService;
      statusReader?: DeploymentStatusReader;
      /** Workloads found in the clusters that the marketplace did not create. */
      discovered?: DiscoveredDeployments;
    },
  ) {}

  /**
   * Live rows, each with its live status when the clusters can be read
   * (`managed: true`), then the workloads discovered in the clusters that
   * the marketplace did not create (`discovered: true, managed: false`).
   */
  async list(filter: DeploymentListFilter): Promise<DeploymentRecord[]> {
    const items = await this.deps.deployments.listDeployments(filter);
    const { statusReader } = this.deps;
    if (statusReader) {
      await Promise.all(
        items.map(async item => {
          if (item.status !== 'undeployed' && item.objects.length) {
            item.live = await statusReader.read({
              cluster: item.cluster,
              namespace: item.namespace,
              objects: item.objects,
            });
          }
        }),
      );
    }
    const found = this.deps.discovered
      ? await this.deps.discovered.list(filter)
      : [];
    return [...items.map(item => ({ ...item, managed: true })), ...found];
  }

  history(filter: DeploymentEventFilter): Promise<DeploymentEvent[]> {
    return this.deps.deployments.listEvents(filter);
  }

  async get(id: string): Promise<DeploymentRecord> {
    const record = await this.deps.deployments.getDeployment(id);
    if (!record) {
      throw new NotFoundError(`No deployment with id ${id}`);
    }
    return record;
  }

  /** Records a deploy (model and team refs already normalised). */
  async record(
    input: CreateDeploymentRecordRequest,
    request?: Request,
  ): Promise<DeploymentRecord> {
    if (input.requestId) {
      await this.assertDeployable(input.requestId, input);
    }
    let movedRequest: ModelRequest | undefined;
    const record = await this.audited(
      request,
      {
        action: 'create',
        model: input.model,
        team: input.team,
        cluster: input.cluster,
        namespace: input.namespace,
        status: input.status,
        actor: input.deployedBy,
      },
      () =>
        this.deps.deployments.createDeployment(input, async (trx, r) => {
          movedRequest = await this.deps.followDeployment(
            trx,
            r,
            input.deployedBy,
          );
        }),
      r => ({ deploymentId: r.id }),
    );
    if (record.status === 'deployed') {
      await this.deps.notifier.notify(
        [record.team],
        [record.model, record.deployedBy],
        nameOf => deployedNotification(nameOf, record, { byActor: true }),
      );
    }
    if (movedRequest) {
      this.deps.logger.info(
        `Request ${movedRequest.id} is now ${movedRequest.status}`,
      );
    }
    return record;
  }

  /** Changes a live row; `undeployed` removes it and retires its request. */
  async update(
    id: string,
    update: UpdateDeploymentRecordRequest,
    request?: Request,
  ): Promise<DeploymentRecord> {
    const record = await this.audited(
      request,
      {
        action: 'update',
        deploymentId: id,
        status: update.status,
        actor: update.actor,
      },
      () =>
        this.deps.deployments.updateDeployment(
          id,
          update,
          async (trx, after, before) => {
            await this.deps.followDeployment(trx, after, update.actor, before);
          },
        ),
    );
    if (record.status === 'deployed') {
      await this.deps.notifier.notify([record.team], [record.model], nameOf =>
        deployedNotification(nameOf, record),
      );
    }
    if (record.status === 'rollback-failed') {
      await this.deps.notifier.notify([record.team], [record.model], nameOf =>
        rollbackFailedNotification(record, nameOf),
      );
    }
    return record;
  }

  /** Every inventory write is one `deployment-record` auditor event. */
  private audited<T>(
    request: Request | undefined,
    meta: JsonObject,
    write: () => Promise<T>,
    successMeta?: (result: T) => JsonObject,
  ): Promise<T> {
    return audited(
      this.deps.auditor,
      { eventId: 'deployment-record', severityLevel: 'medium', request, meta },
      write,
      successMeta,
    );
  }

  /** The request a deploy names must be this model's and team's, and approved. */
  private async assertDeployable(
    requestId: string,
    input: { model: string; team: string },
  ) {
    const request = await this.deps.requests.getRequest(requestId);
    if (!request) {
      throw new InputError(`No request with id ${requestId}`);
    }
    if (request.model !== input.model || request.team !== input.team) {
      throw new InputError(
        `Request ${request.id} is for ${request.model} and ${request.team}`,
      );
    }
    if (!['approved', 'deployed'].includes(request.status)) {
      throw new ConflictError(
        `Request ${request.id} is ${request.status}, not approved`,
      );
    }
  }
}
