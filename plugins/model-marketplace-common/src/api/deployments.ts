/**
 * Types shared by the deployments inventory (backend), the deployer
 * (node library and scaffolder actions) and the frontend.
 */

/** A Kubernetes object a deployment created or manages. @public */
export type DeploymentObjectRef = {
  apiVersion: string;
  kind: string;
  namespace: string;
  name: string;
};

/** What a deployment looks like in the cluster right now. @public */
export type DeploymentLiveState =
  | 'ready'
  | 'progressing'
  | 'failed'
  | 'missing'
  | 'unknown';

/** @public */
export type DeploymentLiveStatus = {
  state: DeploymentLiveState;
  message?: string;
  readyReplicas?: number;
  desiredReplicas?: number;
  /** ISO timestamp of the cluster read this status came from. */
  checkedAt: string;
};

/**
 * Reads the live status of a deployment's objects from its cluster.
 * Implemented in `@aic/plugin-model-marketplace-node` on top of the real
 * Kubernetes client; the backend caches what it returns.
 *
 * @public
 */
export interface DeploymentStatusReader {
  read(target: {
    cluster: string;
    namespace: string;
    objects: DeploymentObjectRef[];
  }): Promise<DeploymentLiveStatus>;
}

/**
 * Lifecycle of a deployment record in the inventory.
 *
 * - `deploying`: a deploy of the workload is running (or was interrupted;
 *   the reconciler finishes or rolls it back).
 * - `deployed`: the workload's objects are in the cluster and were ready.
 * - `failed`: the last deploy failed; what it created was deleted again.
 * - `rolled-back`: an interrupted deploy was rolled back by the reconciler.
 * - `rollback-failed`: deleting what a failed deploy created failed; the
 *   row lists the leftover objects and the reconciler retries.
 * - `undeployed`: only in history and in `PATCH` bodies: an undeploy
 *   removes the live row.
 *
 * @public
 */
export type DeploymentRecordStatus =
  | 'deploying'
  | 'deployed'
  | 'failed'
  | 'rolled-back'
  | 'rollback-failed'
  | 'undeployed';

/** Every {@link DeploymentRecordStatus}. @public */
export const DEPLOYMENT_RECORD_STATUSES: readonly DeploymentRecordStatus[] = [
  'deploying',
  'deployed',
  'failed',
  'rolled-back',
  'rollback-failed',
  'undeployed',
];

/**
 * What happened to a workload, as kept in the inventory's history: the
 * statuses, plus `updated` for a successful re-deploy of a workload that was
 * deployed before.
 *
 * @public
 */
export type DeploymentEventType = DeploymentRecordStatus | 'updated';

/** One entry of `GET /deployments/history`. @public */
export type DeploymentEvent = {
  /** Ordering key. */
  id: string;
  deploymentId: string;
  event: DeploymentEventType;
  /** Status of the row after the event. */
  status: DeploymentRecordStatus;
  model: string;
  version: string;
  team: string;
  cluster: string;
  namespace: string;
  workload: string;
  objects: DeploymentObjectRef[];
  /** Entity ref of the user or service that caused the event. */
  actor: string;
  message?: string;
  createdAt: string;
};

/**
 * Body of `POST /deployments` (service credentials only): the deploy action
 * records what it did.
 *
 * @public
 */
export type CreateDeploymentRecordRequest = {
  /** Entity ref of the model, `model:default/name`. */
  model: string;
  version: string;
  /** Entity ref of the team group. */
  team: string;
  cluster: string;
  namespace: string;
  /**
   * Name of the runtime workload (Deployment or InferenceService); with
   * cluster, namespace and model it names the one live row of a workload.
   * Derived from `objects` when omitted.
   */
  workload?: string;
  objects: DeploymentObjectRef[];
  /**
   * `deploying` (a deploy starts: creates the workload's row, or takes over
   * its existing row unless another deploy of it is running) or a final
   * status.
   */
  status: DeploymentRecordStatus;
  endpoint?: string;
  /** The approved request this deployment fulfils, if any. */
  requestId?: string;
  /** Entity ref of the user who ran the deploy. */
  deployedBy: string;
  message?: string;
};

/** Body of `PATCH /deployments/:id` (service credentials only). @public */
export type UpdateDeploymentRecordRequest = {
  status: DeploymentRecordStatus;
  endpoint?: string;
  objects?: DeploymentObjectRef[];
  message?: string;
  /** Entity ref of the user on whose behalf the change is made. */
  actor: string;
  /**
   * Apply the change only while the row has one of these statuses;
   * otherwise the backend answers 409 (someone else, e.g. the reconciler,
   * moved the row meanwhile).
   */
  expectedStatus?: DeploymentRecordStatus[];
};

/** One row of `GET /deployments`. @public */
export type DeploymentRecord = {
  id: string;
  model: string;
  version: string;
  team: string;
  cluster: string;
  namespace: string;
  /** Name of the runtime workload (Deployment or InferenceService). */
  workload: string;
  /** The objects the inventory holds for this workload in the cluster. */
  objects: DeploymentObjectRef[];
  status: DeploymentRecordStatus;
  endpoint?: string;
  requestId?: string;
  deployedBy: string;
  createdAt: string;
  updatedAt: string;
  message?: string;
  /** Read from the cluster (cached briefly); absent for undeployed rows. */
  live?: DeploymentLiveStatus;
  /**
   * Whether the marketplace deployed and manages this workload. `false` for
   * a discovered workload: found in a cluster, not created by the
   * marketplace, shown read-only and never modified.
   */
  managed?: boolean;
  /** `true` for a workload found in a cluster rather than recorded by a deploy. */
  discovered?: boolean;
};
