/**
 * What a command line flag does with its value: `value()` reads it (the part
 * after `=`, or the next argument) and throws `<flag> needs a value` when
 * there is none. A flag that takes no value does not call it.
 *
 * @public
 */
export type FlagHandler = (value: () => string, flag: string) => void;

/**
 * Walks a command line of `--flag value` and `--flag=value` arguments and
 * calls the handler of each flag. Returns `'help'` at `--help` or `-h`;
 * throws on an unknown option or a missing value. The kube-sandbox and
 * kube-testenv command lines share it.
 *
 * @public
 */
export function parseFlags(
  argv: string[],
  handlers: Record<string, FlagHandler>,
): 'help' | undefined {
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    const eq = arg.startsWith('--') ? arg.indexOf('=') : -1;
    const [flag, inline] =
      eq > 0 ? [arg.slice(0, eq), arg.slice(eq + 1)] : [arg, undefined];
    if (flag === '--help' || flag === '-h') {
      return 'help';
    }
    const handler = Object.hasOwn(handlers, flag) ? handlers[flag] : undefined;
    if (!handler) {
      throw new Error(`unknown option ${arg}`);
    }
    handler(() => {
      const v = inline ?? argv[++i];
      if (v === undefined) {
        throw new Error(`${flag} needs a value`);
      }
      return v;
    }, flag);
  }
  return undefined;
}

/**
 * A comma-separated list flag value, trimmed, without empty entries.
 *
 * @public
 */
export function splitList(value: string): string[] {
  return value
    .split(',')
    .map(s => s.trim())
    .filter(Boolean);
}

/**
 * A port flag value: a whole number from `min` (0 = any free port allowed)
 * to 65535; throws naming the flag otherwise.
 *
 * @public
 */
export function parsePort(flag: string, value: string, min: 0 | 1): number {
  const port = Number(value);
  if (!Number.isInteger(port) || port < min || port > 65535) {
    throw new Error(`${flag} must be a number between ${min} and 65535`);
  }
  return port;
}
