import type { BackstageCredentials } from '@backstage/backend-plugin-api';
import type { JsonObject } from '@backstage/types';
import { asCallerError } from './asCallerError';
import type { CallerApis } from './CallerApis';
import type {
  ScaffolderTaskEvent,
  ScaffolderTaskStatus,
} from './ScaffolderTasks';

/** What model:deploy and model:undeploy log once their checks passed. */
const CHECKS_PASSED = 'checks passed';
const FINAL: ScaffolderTaskStatus[] = ['completed', 'failed', 'cancelled'];

/** What an action tells about a template run. */
export type TemplateRunState = {
  taskId: string;
  status: ScaffolderTaskStatus;
  /** `passed` once the action's checks passed (it is now at the cluster). */
  checks: 'passed' | 'pending';
  /** The last thing the task logged. */
  lastMessage?: string;
  /** The template's step output, once completed. */
  output?: JsonObject;
};

/**
 * Runs the deploy and undeploy templates through the scaffolder as the
 * caller, so a deploy from an agent is the very deploy a person starts from
 * the portal: the scaffolder's permissions and audit, and model:deploy's
 * checks (team membership, namespace ownership, approved request, operator
 * limits) before any cluster call.
 */
export class TemplateRuns {
  constructor(
    private readonly apis: CallerApis,
    private readonly options: { checksTimeoutMs: number; pollMs?: number },
  ) {}

  /**
   * Starts `templateRef` with `values` and waits until the action's checks
   * passed or the run ended. A run that fails (a refused check) becomes the
   * check's own error, so the caller sees why at once.
   */
  async start(
    credentials: BackstageCredentials,
    what: string,
    templateRef: string,
    values: JsonObject,
  ): Promise<TemplateRunState> {
    const token = await this.apis.tokenFor(credentials, 'scaffolder');
    let taskId: string;
    try {
      ({ id: taskId } = await this.apis.scaffolder.create(
        { templateRef, values },
        token,
      ));
    } catch (error) {
      throw asCallerError(error, `${what} refused by the scaffolder`);
    }
    const deadline = Date.now() + this.options.checksTimeoutMs;
    for (;;) {
      const state = await this.read(taskId, token);
      if (state.status === 'failed' || state.status === 'cancelled') {
        throw this.failure(what, state);
      }
      if (state.checks === 'passed' || FINAL.includes(state.status)) {
        return state;
      }
      if (Date.now() > deadline) {
        return state;
      }
      await new Promise(r => setTimeout(r, this.options.pollMs ?? 250));
    }
  }

  /** The state of a template run, read as the caller. */
  async get(
    credentials: BackstageCredentials,
    taskId: string,
  ): Promise<
    TemplateRunState & {
      error?: string;
      templateRef?: string;
      parameters?: JsonObject;
    }
  > {
    const token = await this.apis.tokenFor(credentials, 'scaffolder');
    try {
      const task = await this.apis.scaffolder.get(taskId, token);
      const state = await this.read(taskId, token, task.status);
      return {
        ...state,
        error: state.status === 'failed' ? state.error : undefined,
        templateRef: task.spec.templateInfo?.entityRef,
        parameters: task.spec.parameters,
      };
    } catch (error) {
      throw asCallerError(error, `Cannot read task ${taskId}`);
    }
  }

  private async read(
    taskId: string,
    token: string,
    status?: ScaffolderTaskStatus,
  ): Promise<TemplateRunState & { error?: string; errorName?: string }> {
    // The status first, then the events: the scaffolder stores a task's end
    // status and its completion event together, so events read after a final
    // status always hold that event. Read in parallel, the events could come
    // from just before the end and the failure would lose its error.
    const task = status
      ? { status }
      : await this.apis.scaffolder.get(taskId, token);
    const events = await this.apis.scaffolder.events(taskId, token);
    const completion = events.find(e => e.type === 'completion');
    const logs = events.filter(e => e.type === 'log' && e.body.message);
    return {
      taskId,
      status: task.status,
      checks: logs.some(e => e.body.message!.includes(CHECKS_PASSED))
        ? 'passed'
        : 'pending',
      lastMessage: lastMessage(logs, completion),
      output: completion?.body.output,
      error: completion?.body.error?.message,
      errorName: completion?.body.error?.name,
    };
  }

  private failure(
    what: string,
    state: TemplateRunState & { error?: string; errorName?: string },
  ): Error {
    return asCallerError(
      {
        name: state.errorName ?? 'Error',
        message: state.error ?? `the task was ${state.status}`,
      },
      state.checks === 'pending'
        ? `${what} refused before any cluster call (scaffolder task ${state.taskId} ${state.status})`
        : `${what} failed after its checks passed; what it created was rolled back (scaffolder task ${state.taskId} ${state.status})`,
    );
  }
}

function lastMessage(
  logs: ScaffolderTaskEvent[],
  completion?: ScaffolderTaskEvent,
): string | undefined {
  const last = completion ?? logs[logs.length - 1];
  return last?.body.error?.message ?? last?.body.message;
}
