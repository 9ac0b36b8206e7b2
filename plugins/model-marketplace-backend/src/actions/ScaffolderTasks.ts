import type { DiscoveryService } from '@backstage/backend-plugin-api';
import { ResponseError } from '@backstage/errors';
import type { JsonObject } from '@backstage/types';

/** Statuses of a scaffolder task. */
export type ScaffolderTaskStatus =
  | 'open'
  | 'processing'
  | 'completed'
  | 'failed'
  | 'cancelled'
  | 'skipped';

/** What `GET /v2/tasks/:id` answers, as far as the actions read it. */
export type ScaffolderTask = {
  id: string;
  status: ScaffolderTaskStatus;
  createdAt: string;
  createdBy?: string;
  lastHeartbeatAt?: string;
  spec: { templateInfo?: { entityRef?: string }; parameters?: JsonObject };
};

/** One row of `GET /v2/tasks/:id/events`. */
export type ScaffolderTaskEvent = {
  id: number;
  type: 'log' | 'completion' | 'cancelled' | 'recovered';
  createdAt: string;
  body: {
    message?: string;
    stepId?: string;
    status?: string;
    output?: JsonObject;
    error?: { name?: string; message?: string };
  };
};

/**
 * The scaffolder's task API (`/api/scaffolder/v2/tasks`), called with a
 * token of the caller: the scaffolder sees the calling user, checks its own
 * permissions (`scaffolder.task.create`, `scaffolder.task.read`) and runs
 * the template's actions with the user as `ctx.user`.
 */
export class ScaffolderTasks {
  constructor(private readonly discovery: DiscoveryService) {}

  /** Starts a template run; answers the task id. */
  async create(
    request: { templateRef: string; values: JsonObject },
    token: string,
  ): Promise<{ id: string }> {
    return this.call('POST', '/v2/tasks', token, request);
  }

  get(taskId: string, token: string): Promise<ScaffolderTask> {
    return this.call('GET', `/v2/tasks/${encodeURIComponent(taskId)}`, token);
  }

  events(taskId: string, token: string): Promise<ScaffolderTaskEvent[]> {
    return this.call(
      'GET',
      `/v2/tasks/${encodeURIComponent(taskId)}/events`,
      token,
    );
  }

  private async call<T>(
    method: 'GET' | 'POST',
    path: string,
    token: string,
    body?: unknown,
  ): Promise<T> {
    const baseUrl = await this.discovery.getBaseUrl('scaffolder');
    const response = await fetch(`${baseUrl}${path}`, {
      method,
      headers: {
        Authorization: `Bearer ${token}`,
        ...(body === undefined ? {} : { 'Content-Type': 'application/json' }),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    if (!response.ok) {
      throw await ResponseError.fromResponse(response);
    }
    return (await response.json()) as T;
  }
}
