import { InputError } from '@backstage/errors';

/**
 * Kubernetes CPU quantity in cores: `4`, `0.5`, `500m`. Throws InputError
 * for anything else.
 *
 * @public
 */
export function parseCpuQuantity(value: string | number): number {
  const text = String(value).trim();
  const m = /^(\d+(?:\.\d+)?)(m?)$/.exec(text);
  if (!m) {
    throw new InputError(`'${text}' is not a CPU quantity (e.g. 4, 0.5, 500m)`);
  }
  return Number(m[1]) / (m[2] ? 1000 : 1);
}

const MEMORY_UNITS: Record<string, number> = {
  '': 1,
  k: 1e3,
  M: 1e6,
  G: 1e9,
  T: 1e12,
  P: 1e15,
  Ki: 2 ** 10,
  Mi: 2 ** 20,
  Gi: 2 ** 30,
  Ti: 2 ** 40,
  Pi: 2 ** 50,
};

/**
 * Kubernetes memory quantity in bytes: `32Gi`, `512Mi`, `1G`, `1000`.
 * Throws InputError for anything else.
 *
 * @public
 */
export function parseMemoryQuantity(value: string | number): number {
  const text = String(value).trim();
  const m = /^(\d+(?:\.\d+)?)(k|M|G|T|P|Ki|Mi|Gi|Ti|Pi)?$/.exec(text);
  if (!m) {
    throw new InputError(
      `'${text}' is not a memory quantity (e.g. 32Gi, 512Mi, 1G)`,
    );
  }
  return Number(m[1]) * MEMORY_UNITS[m[2] ?? ''];
}
