import { DEFAULT_NAMESPACE, parseEntityRef } from '@backstage/catalog-model';
import type {
  DeploymentObjectRef,
  DeploymentRecord,
} from '@aic/plugin-model-marketplace-common';
import { modelPageLink, requestLink } from './links';

/**
 * Every notification the marketplace sends is written here: titles and
 * descriptions in words a person reads (display names, not entity refs),
 * and links into the app that keep the model's namespace and open the
 * request they name.
 */

/** Turns an entity ref into the name a person knows it by. */
export type NameOf = (ref: string) => string;

/** What a notification says and where it leads. */
export type NotificationPayload = {
  title: string;
  description: string;
  link: string;
  severity: 'normal' | 'high';
};

const DESCRIPTION_LIMIT = 1000;

/**
 * Names without a catalog: the entity's name, without kind and (default)
 * namespace. Used where no display names were looked up.
 */
export const shortNameOf: NameOf = ref => {
  try {
    const { namespace, name } = parseEntityRef(ref);
    return namespace === DEFAULT_NAMESPACE ? name : `${namespace}/${name}`;
  } catch {
    return ref;
  }
};

function clip(text: string): string {
  return text.length > DESCRIPTION_LIMIT
    ? `${text.slice(0, DESCRIPTION_LIMIT - 1)}…`
    : text;
}

function withVersion(model: string, version?: string) {
  return version ? `${model} ${version}` : model;
}

/** To the approvers: a team asks for a model. */
export function requestCreatedNotification(
  nameOf: NameOf,
  request: {
    id: string;
    model: string;
    version?: string;
    team: string;
    requester: string;
    purpose: string;
  },
): NotificationPayload {
  const model = withVersion(nameOf(request.model), request.version);
  return {
    title: `${nameOf(request.team)} requests ${model}`,
    description: clip(
      `${nameOf(request.requester)} asks for ${model} for ${nameOf(
        request.team,
      )}: ${request.purpose}`,
    ),
    link: requestLink(request.id, 'approvals'),
    severity: 'normal',
  };
}

/** To the requester: an approver decided the request. */
export function requestDecidedNotification(
  nameOf: NameOf,
  request: {
    id: string;
    model: string;
    version?: string;
    team: string;
  },
  decision: {
    status: 'approved' | 'rejected';
    actor: string;
    comment?: string;
  },
): NotificationPayload {
  const model = withVersion(nameOf(request.model), request.version);
  return {
    title: `Your request for ${model} was ${decision.status}`,
    description: clip(
      `${nameOf(decision.actor)} ${decision.status} the request of ${nameOf(
        request.team,
      )}${decision.comment ? `: ${decision.comment}` : '.'}`,
    ),
    link: requestLink(request.id, 'requests'),
    severity: 'normal',
  };
}

/** To the team: a deploy finished. */
export function deployedNotification(
  nameOf: NameOf,
  record: DeploymentRecord,
  how: { byActor?: boolean } = {},
): NotificationPayload {
  const by =
    how.byActor && record.deployedBy ? ` by ${nameOf(record.deployedBy)}` : '';
  return {
    title: `${nameOf(record.model)} ${record.version} is deployed`,
    description: clip(
      `Deployed to ${record.cluster}/${record.namespace}${by}${
        record.endpoint ? `; endpoint ${record.endpoint}` : ''
      }`,
    ),
    link: modelPageLink(record.model),
    severity: 'normal',
  };
}

function describeObjects(objects: DeploymentObjectRef[]) {
  return objects.map(o => `${o.kind} ${o.namespace}/${o.name}`).join(', ');
}

/** To the team: a failed deploy left objects behind in its namespace. */
export function rollbackFailedNotification(
  record: DeploymentRecord,
  nameOf: NameOf = shortNameOf,
): NotificationPayload {
  return {
    title: `Rollback of ${nameOf(record.model)} ${record.version} failed`,
    description: clip(
      `A failed deploy to ${record.cluster}/${
        record.namespace
      } could not delete ${describeObjects(
        record.objects,
      )}; the marketplace retries the cleanup.${
        record.message ? ` ${record.message}` : ''
      }`,
    ),
    link: modelPageLink(record.model),
    severity: 'high',
  };
}

/** To the team: the reconciler finished or rolled back a deployment. */
export function reconciledNotification(
  record: DeploymentRecord,
  nameOf: NameOf = shortNameOf,
): NotificationPayload {
  const what =
    record.status === 'deployed'
      ? 'is deployed (finished after an interruption)'
      : 'was rolled back after an interruption or failed rollback';
  return {
    title: `${nameOf(record.model)} ${record.version} ${what}`,
    description: clip(
      `${record.cluster}/${record.namespace}: ${
        record.message ?? record.status
      }`,
    ),
    link: modelPageLink(record.model),
    severity: 'normal',
  };
}
