import { Knex } from 'knex';

/** Timestamps are written as ISO strings; drivers read them back as Date or string. */
export function toIso(value: Date | string | number | null | undefined) {
  if (value === null || value === undefined) {
    return undefined;
  }
  return new Date(value).toISOString();
}

/** Reads a `count(*)` value, which drivers return as number or string. */
export function toCount(value: unknown): number {
  return Number(value ?? 0);
}

/** A transaction the caller is already in, or none. */
export type StoreWriteOptions = { trx?: Knex.Transaction };
