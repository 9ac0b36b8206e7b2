import type { ModelRequest } from '@aic/plugin-model-marketplace-common';
import { requestLink } from '../links';
import type { NameOf, NotificationPayload } from '../notificationMessages';

const LIMIT = 1000;

/** To the team and the requester: an approver revoked the access. */
export function requestRevokedNotification(
  nameOf: NameOf,
  request: Pick<ModelRequest, 'id' | 'model' | 'version' | 'team'>,
  revocation: { actor: string; reason: string },
): NotificationPayload {
  const model = request.version
    ? `${nameOf(request.model)} ${request.version}`
    : nameOf(request.model);
  const description = `${nameOf(
    revocation.actor,
  )} revoked the access of ${nameOf(request.team)}: ${
    revocation.reason
  }. Running deployments keep running; new deploys are refused until a new request is approved.`;
  return {
    title: `Access to ${model} was revoked`,
    description:
      description.length > LIMIT
        ? `${description.slice(0, LIMIT - 1)}…`
        : description,
    link: requestLink(request.id, 'requests'),
    severity: 'high',
  };
}
