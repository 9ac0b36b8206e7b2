import type { LoggerService } from '@backstage/backend-plugin-api';

/**
 * A logger for tests that keeps every line it is given, with its level,
 * message and metadata (children's metadata included) as one line of text,
 * so that a test can assert what was logged and that no secret was.
 *
 * @public
 */
export function capturingLogger(): LoggerService & { lines: string[] } {
  const lines: string[] = [];
  const make = (
    prefix: Record<string, unknown>,
  ): LoggerService & { lines: string[] } => {
    const log = (level: string) => (message: string, meta?: unknown) => {
      lines.push(
        `${level} ${message} ${JSON.stringify({ ...prefix, meta }, (_k, v) =>
          v instanceof Error ? { message: v.message, stack: v.stack } : v,
        )}`,
      );
    };
    return {
      lines,
      error: log('error'),
      warn: log('warn'),
      info: log('info'),
      debug: log('debug'),
      child: (meta: Record<string, unknown>) => make({ ...prefix, ...meta }),
    };
  };
  return make({});
}
