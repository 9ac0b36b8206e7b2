import type {
  ModelAccessPolicy,
  ModelDetails,
  ModelRequest,
} from '@aic/plugin-model-marketplace-common';
import { parseEntityRef } from '@backstage/catalog-model';
import type { RequestStore } from '../database/RequestStore';

/** What the deploy guard of the scaffolder actions would answer a user. */
export type DeployEligibility = NonNullable<ModelDetails['viewer']['deploy']>;

function nameOf(ref: string): string {
  try {
    return parseEntityRef(ref).name;
  } catch {
    return ref;
  }
}

function newest(requests: ModelRequest[], at: (r: ModelRequest) => string) {
  return [...requests].sort((a, b) => at(b).localeCompare(at(a)))[0];
}

/**
 * The teams a user may deploy a model for, by the deploy guard's rules
 * (plugins/scaffolder-backend-module-model, DeployGuard): the user is a
 * member of the team and, unless the access policy is `open`, the team has
 * an approved (or already deployed) request for the model. With no such
 * team, `reason` says why, in the words a person reads: not a member of any
 * team, the access was revoked (with the reason), the request is pending,
 * or there is no request.
 */
export async function deployEligibility(input: {
  modelRef: string;
  policy: ModelAccessPolicy;
  teams: string[];
  requests: RequestStore;
}): Promise<DeployEligibility> {
  const { modelRef, policy, teams } = input;
  if (teams.length === 0) {
    return {
      teams: [],
      reason:
        'You are not a member of any team; a deploy goes into a namespace of your team',
    };
  }
  if (policy === 'open') {
    return { teams };
  }
  // One query per team of the user (a handful): the model's other requests
  // do not count, however many there are.
  const perTeam = await Promise.all(
    teams.map(team =>
      input.requests.listRequests({
        model: modelRef,
        team,
        status: ['approved', 'deployed', 'revoked', 'pending'],
        limit: 100,
        offset: 0,
      }),
    ),
  );
  const mine = perTeam.flatMap(page => page.items);
  const entitled = [
    ...new Set(
      mine
        .filter(r => r.status === 'approved' || r.status === 'deployed')
        .map(r => r.team),
    ),
  ];
  if (entitled.length > 0) {
    return { teams: teams.filter(t => entitled.includes(t)) };
  }
  const revoked = newest(
    mine.filter(r => r.status === 'revoked'),
    r => r.revokedAt ?? r.updatedAt,
  );
  if (revoked) {
    return {
      teams: [],
      reason: `The access of ${nameOf(revoked.team)} was revoked${
        revoked.revokedBy ? ` by ${nameOf(revoked.revokedBy)}` : ''
      }${revoked.revokeReason ? `: ${revoked.revokeReason}` : ''}`,
    };
  }
  const pending = mine.find(r => r.status === 'pending');
  if (pending) {
    return {
      teams: [],
      reason: `The request of ${nameOf(
        pending.team,
      )} is waiting for approval; you can deploy once it is approved`,
    };
  }
  return {
    teams: [],
    reason:
      'None of your teams has an approved request for this model; request it for your team first',
  };
}
