import { CustomErrorBase } from '@backstage/errors';

/**
 * A workload failed to roll out (for example `ProgressDeadlineExceeded`).
 *
 * @public
 */
export class RolloutFailedError extends CustomErrorBase {
  name = 'RolloutFailedError' as const;
}

/** A workload did not become ready within the timeout. @public */
export class RolloutTimeoutError extends CustomErrorBase {
  name = 'RolloutTimeoutError' as const;
}

/** The deploy was cancelled through its AbortSignal. @public */
export class DeployCancelledError extends CustomErrorBase {
  name = 'DeployCancelledError' as const;
}
