import type { LoggerService } from '@backstage/backend-plugin-api';

/**
 * The environment variable that names the steps of `model:deploy` at which
 * a deploy stops and waits: comma-separated entries, each a point
 * (`before-dry-run`, `after-apply`, `waiting-for-ready`) for every deploy,
 * or `<model name>:<point>` for the deploys of one model.
 *
 * This is a test hook for the crash test, which kills the backend at each
 * of these steps: it makes the moment of the kill deterministic instead of
 * guessing it with sleeps. Unset (always, outside that test) it does
 * nothing. A paused deploy resumes only when its task is cancelled or the
 * process ends.
 */
export const PAUSE_ENV = 'AIC_MODEL_DEPLOY_PAUSE_AT';

/** The pause points `model:deploy` knows. */
export type PausePoint = 'before-dry-run' | 'after-apply' | 'waiting-for-ready';

/** Waits forever (until `signal` aborts) if `point` is listed in {@link PAUSE_ENV}. */
export async function pausePoint(
  point: PausePoint,
  logger: LoggerService,
  signal: AbortSignal | undefined,
  modelName: string,
): Promise<void> {
  const listed = (process.env[PAUSE_ENV] ?? '')
    .split(',')
    .map(s => s.trim())
    .filter(Boolean);
  if (!listed.includes(point) && !listed.includes(`${modelName}:${point}`)) {
    return;
  }
  logger.info(`pause point ${point} reached`);
  await new Promise<void>(resolve => {
    if (signal?.aborted) {
      resolve();
      return;
    }
    signal?.addEventListener('abort', () => resolve(), { once: true });
  });
}
