import type { LoggerService } from '@backstage/backend-plugin-api';

/** A logger that keeps every line, message and metadata, as text. */
export function capturingLogger(): LoggerService & { lines: string[] } {
  const lines: string[] = [];
  const make = (prefix: Record<string, unknown>): any => {
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
