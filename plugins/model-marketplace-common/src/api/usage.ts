/** One consumer team of a model, in `GET /models/:namespace/:name/usage`. @public */
export type ModelUsageTeam = {
  /** Entity ref of the team group. */
  team: string;
  /** Requests of the team that are approved or deployed. */
  approvedRequests: number;
  /** Live deployments of the team (deploying or deployed). */
  deployments: number;
};

/** Body of `GET /models/:namespace/:name/usage`. @public */
export type ModelUsageResponse = {
  model: string;
  /** Teams with an approved request or a live deployment; most deployments first. */
  teams: ModelUsageTeam[];
  totals: {
    teams: number;
    approvedRequests: number;
    deployments: number;
  };
};
