import type { AuditorService } from '@backstage/backend-plugin-api';
import type { JsonObject } from '@backstage/types';
import type { Request } from 'express';

/** What an audited action records besides its outcome. */
export type AuditedEvent = {
  eventId: string;
  severityLevel: 'low' | 'medium' | 'high' | 'critical';
  /** The HTTP request that caused the action, so the auditor names the caller. */
  request?: Request;
  meta?: JsonObject;
};

/**
 * Runs `action` inside an auditor event: the event is created first, then
 * marked failed with the error (which is rethrown) or successful with the
 * meta `successMeta` derives from the result.
 */
export async function audited<T>(
  auditor: AuditorService,
  event: AuditedEvent,
  action: () => Promise<T>,
  successMeta?: (result: T) => JsonObject,
): Promise<T> {
  const auditorEvent = await auditor.createEvent(event);
  let result: T;
  try {
    result = await action();
  } catch (error) {
    await auditorEvent.fail({ error: error as Error });
    throw error;
  }
  await auditorEvent.success(
    successMeta ? { meta: successMeta(result) } : undefined,
  );
  return result;
}
