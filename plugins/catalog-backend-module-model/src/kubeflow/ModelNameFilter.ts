import { InputError } from '@backstage/errors';

function compile(field: string, patterns: string[]): RegExp[] {
  return patterns.map((raw, i) => {
    const pattern = raw.trim();
    if (!pattern) {
      throw new InputError(`${field}[${i}] must not be empty`);
    }
    const body = pattern
      .split('*')
      .map(part => part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))
      .join('.*');
    return new RegExp(`^${body}$`, 'i');
  });
}

/**
 * The include and exclude lists of a Kubeflow catalog source. Patterns are
 * case-insensitive globs where `*` matches any run of characters (also `/`).
 * With include patterns a model must match one of them; a model matching an
 * exclude pattern is left out even when it is included.
 */
export class ModelNameFilter {
  private readonly included: RegExp[];
  private readonly excluded: RegExp[];

  constructor(options: {
    included?: string[];
    excluded?: string[];
    path: string;
  }) {
    this.included = compile(
      `${options.path}.includedModels`,
      options.included ?? [],
    );
    this.excluded = compile(
      `${options.path}.excludedModels`,
      options.excluded ?? [],
    );
  }

  allows(name: string): boolean {
    if (this.included.length && !this.included.some(re => re.test(name))) {
      return false;
    }
    return !this.excluded.some(re => re.test(name));
  }
}
