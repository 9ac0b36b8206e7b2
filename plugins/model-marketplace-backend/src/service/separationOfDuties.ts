import { NotAllowedError } from '@backstage/errors';
import type { ModelRequest } from '@aic/plugin-model-marketplace-common';

/**
 * Separation of duties: nobody decides a request they made, even when they
 * are one of its approvers (a member of the owner team or a named approver).
 * Another approver must decide it. A policy whose only approver is the
 * requester needs a second approver in `spec.access.approvers`.
 */
export function assertNotOwnRequest(
  request: Pick<ModelRequest, 'id' | 'requester' | 'approvers'>,
  userRef: string,
): void {
  if (request.requester === userRef) {
    throw new NotAllowedError(
      `You made request ${
        request.id
      } and so may not decide it (separation of duties); another approver of ${request.approvers.join(
        ', ',
      )} must decide it`,
    );
  }
}
