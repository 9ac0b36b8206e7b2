import type {
  AuthService,
  BackstageCredentials,
} from '@backstage/backend-plugin-api';
import { InputError, NotFoundError } from '@backstage/errors';
import type {
  ListModelRequestsRequest,
  ModelRequestWithTimeline,
} from '@aic/plugin-model-marketplace-common';
import type { RequestStore } from '../database/RequestStore';
import type { CatalogMembership } from './CatalogMembership';
import { userRefOf } from './refs';

/**
 * Reads requests as the caller may see them: a user sees the requests they
 * made, their teams' requests and those they may decide; a service sees all.
 */
export class RequestQueries {
  constructor(
    private readonly deps: {
      auth: AuthService;
      requests: RequestStore;
      membership: CatalogMembership;
    },
  ) {}

  /** Lists requests; `query.model` and `query.team` are full refs. */
  async list(
    credentials: BackstageCredentials,
    query: ListModelRequestsRequest,
  ) {
    const { requests } = this.deps;
    const base = {
      status: query.status,
      model: query.model,
      team: query.team,
      limit: query.limit ?? 100,
      offset: query.offset ?? 0,
    };
    const userRef = userRefOf(this.deps.auth, credentials);
    if (!userRef) {
      if (query.role) {
        throw new InputError(`'role' needs user credentials`);
      }
      return requests.listRequests(base);
    }
    if (query.role === 'requester') {
      return requests.listRequests({ ...base, requester: userRef });
    }
    const claims = await this.deps.membership.claimsOf(userRef);
    if (query.role === 'approver') {
      return requests.listRequests({ ...base, approverRefs: claims });
    }
    return requests.listRequests({
      ...base,
      requester: userRef,
      approverRefs: claims,
      either: true,
    });
  }

  /** One request with its timeline; 404 when the caller may not see it. */
  async get(
    credentials: BackstageCredentials,
    id: string,
  ): Promise<ModelRequestWithTimeline> {
    const request = await this.deps.requests.getRequest(id);
    if (!request) {
      throw new NotFoundError(`No request with id ${id}`);
    }
    const userRef = userRefOf(this.deps.auth, credentials);
    if (userRef) {
      const claims = await this.deps.membership.claimsOf(userRef);
      const related =
        request.requester === userRef ||
        claims.includes(request.team) ||
        request.approvers.some(a => claims.includes(a));
      if (!related) {
        throw new NotFoundError(`No request with id ${id}`);
      }
    }
    return request;
  }
}
