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

/** Lifecycle of a deployment record in the inventory. @public */
export type DeploymentRecordStatus =
  | 'deploying'
  | 'deployed'
  | 'failed'
  | 'undeployed';

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
  objects: DeploymentObjectRef[];
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
};

/** One row of `GET /deployments`. @public */
export type DeploymentRecord = {
  id: string;
  model: string;
  version: string;
  team: string;
  cluster: string;
  namespace: string;
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
};
