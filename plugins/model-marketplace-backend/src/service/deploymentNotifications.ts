import { parseEntityRef } from '@backstage/catalog-model';
import type {
  DeploymentObjectRef,
  DeploymentRecord,
} from '@aic/plugin-model-marketplace-common';

function describe(objects: DeploymentObjectRef[]) {
  return objects.map(o => `${o.kind} ${o.namespace}/${o.name}`).join(', ');
}

function modelLink(record: DeploymentRecord) {
  return `/catalog/default/model/${parseEntityRef(record.model).name}`;
}

/** Tells a team that a failed deploy left objects behind in its namespace. */
export function rollbackFailedNotification(record: DeploymentRecord) {
  return {
    title: `Rollback of ${record.model} ${record.version} failed`,
    description: `A failed deploy to ${record.cluster}/${
      record.namespace
    } could not delete ${describe(
      record.objects,
    )}; the marketplace retries the cleanup.${
      record.message ? ` ${record.message}` : ''
    }`.slice(0, 1000),
    link: modelLink(record),
    severity: 'high' as const,
  };
}

/** Tells a team that the reconciler finished or rolled back a deployment. */
export function reconciledNotification(record: DeploymentRecord) {
  const what =
    record.status === 'deployed'
      ? 'is deployed (finished after an interruption)'
      : 'was rolled back after an interruption or failed rollback';
  return {
    title: `${record.model} ${record.version} ${what}`,
    description: `${record.cluster}/${record.namespace}: ${
      record.message ?? record.status
    }`.slice(0, 1000),
    link: modelLink(record),
    severity: 'normal' as const,
  };
}
