/**
 * Types of `GET /deployments`.
 */
import type { DeploymentRecord, DeploymentRecordStatus } from './deployments';

/** Query of `GET /deployments`. @public */
export type ListDeploymentsRequest = {
  /** Entity ref of the model. */
  model?: string;
  /** Entity ref of the team. */
  team?: string;
  /** Repeatable. */
  status?: DeploymentRecordStatus[];
};

/** Body of `GET /deployments`. @public */
export type ListDeploymentsResponse = {
  items: DeploymentRecord[];
};
