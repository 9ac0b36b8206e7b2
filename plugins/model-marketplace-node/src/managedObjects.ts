import {
  DeploymentObjectRef,
  LABEL_MANAGED_BY,
  MANAGED_BY_VALUE,
} from '@aic/plugin-model-marketplace-common';
import type { LoggerService } from '@backstage/backend-plugin-api';
import { ConflictError, isError } from '@backstage/errors';
import { Readiness, evaluateReadiness } from './evaluateReadiness';
import { KubernetesApiClient } from './KubernetesApiClient';
import { redact } from './toBackstageError';
import { LiveObject, WORKLOAD_KINDS, describeRef } from './types';

/** What {@link ModelDeployer.rollback} did. @public */
export type RollbackResult = {
  deleted: DeploymentObjectRef[];
  /** Objects that could not be deleted, with the reason (no secrets). */
  failed: Array<{ ref: DeploymentObjectRef; message: string }>;
};

/** What {@link ModelDeployer.inspect} found. @public */
export type InspectResult = {
  /** Exist and are labelled managed-by model-marketplace. */
  present: DeploymentObjectRef[];
  missing: DeploymentObjectRef[];
  /** Exist but are not ours: never modified or deleted. */
  unmanaged: DeploymentObjectRef[];
  /** Readiness of the workload, when it is present. */
  readiness?: Readiness;
};

// Reading and removing the objects of a deployment. Everything here checks
// the managed-by label first: objects that are not ours are never deleted.

/** Whether a live object carries this plugin's managed-by label. */
export function isManaged(obj: LiveObject | undefined): boolean {
  return obj?.metadata?.labels?.[LABEL_MANAGED_BY] === MANAGED_BY_VALUE;
}

/** The error for an object that exists but belongs to someone else. */
export function notManagedError(
  ref: DeploymentObjectRef,
  obj: LiveObject,
  verb: string,
) {
  const owner = obj.metadata?.labels?.[LABEL_MANAGED_BY];
  return new ConflictError(
    `${describeRef(ref)} exists and is not managed by ${MANAGED_BY_VALUE}${
      owner ? ` (${LABEL_MANAGED_BY}=${owner})` : ''
    }; refusing to ${verb} it`,
  );
}

/**
 * Deletes, newest first, the objects a failed run created. Objects that are
 * gone are skipped, objects that are not ours are left alone, and a failed
 * delete is recorded (without secrets) instead of stopping the rollback.
 */
export async function rollbackCreated(
  client: KubernetesApiClient,
  created: DeploymentObjectRef[],
  options: { logger: LoggerService; progress: (message: string) => void },
): Promise<RollbackResult> {
  const deleted: DeploymentObjectRef[] = [];
  const failed: RollbackResult['failed'] = [];
  for (const ref of [...created].reverse()) {
    try {
      const live = await client.get(ref);
      if (!live) {
        continue;
      }
      if (!isManaged(live)) {
        options.logger.warn(
          `Not rolling back ${describeRef(
            ref,
          )}: it is not managed by ${MANAGED_BY_VALUE}`,
        );
        continue;
      }
      await client.delete(ref);
      deleted.push(ref);
      options.progress(`rolled back ${describeRef(ref)}`);
    } catch (error) {
      const message = isError(error) ? redact(error.message) : String(error);
      failed.push({ ref, message });
      options.logger.error(
        `Rollback of ${describeRef(ref)} failed: ${message}`,
      );
    }
  }
  return { deleted, failed };
}

/** Sorts objects into present, missing and unmanaged; reads the workload. */
export async function inspectObjects(
  client: KubernetesApiClient,
  objects: DeploymentObjectRef[],
  workload?: string,
): Promise<InspectResult> {
  const result: InspectResult = { present: [], missing: [], unmanaged: [] };
  const workloadRef =
    objects.find(
      o =>
        WORKLOAD_KINDS.includes(o.kind) && (!workload || o.name === workload),
    ) ?? objects.find(o => WORKLOAD_KINDS.includes(o.kind));
  for (const ref of objects) {
    const live = await client.get(ref);
    if (!live) {
      result.missing.push(ref);
    } else if (!isManaged(live)) {
      result.unmanaged.push(ref);
    } else {
      result.present.push(ref);
      if (ref === workloadRef) {
        result.readiness = evaluateReadiness(live);
      }
    }
  }
  return result;
}

/**
 * Deletes a deployment's objects, newest first. Every object is read first;
 * if any exists and is not ours, nothing is deleted.
 */
export async function deleteManagedObjects(
  client: KubernetesApiClient,
  objects: DeploymentObjectRef[],
  options: { dryRun?: boolean; progress: (message: string) => void },
): Promise<{ deleted: DeploymentObjectRef[]; missing: DeploymentObjectRef[] }> {
  const present: DeploymentObjectRef[] = [];
  const missing: DeploymentObjectRef[] = [];
  for (const ref of objects) {
    const live = await client.get(ref);
    if (!live) {
      missing.push(ref);
      continue;
    }
    if (!isManaged(live)) {
      throw notManagedError(ref, live, 'delete');
    }
    present.push(ref);
  }
  if (options.dryRun) {
    return { deleted: [], missing };
  }
  const deleted: DeploymentObjectRef[] = [];
  for (const ref of [...present].reverse()) {
    if (await client.delete(ref)) {
      deleted.push(ref);
      options.progress(`deleted ${describeRef(ref)}`);
    } else {
      missing.push(ref);
    }
  }
  return { deleted, missing };
}
