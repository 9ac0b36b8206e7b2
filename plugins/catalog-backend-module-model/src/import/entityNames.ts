import { createHash } from 'node:crypto';

const MAX_NAME_LENGTH = 63;

/**
 * Turns a model id such as `ibm-granite/granite-3.1-8b-instruct` into a
 * catalog entity name: the part after the last `/`, lower-cased, every run of
 * characters other than letters and digits replaced by one `-`
 * (`granite-3-1-8b-instruct`). The same rule serves Kubeflow catalog model
 * names and Hugging Face repository ids (`base_model`, `datasets`), so a card
 * whose base model is `ibm-granite/granite-3.1-8b-instruct` points at the
 * entity the Kubeflow provider creates for that model.
 *
 * Names longer than 63 characters keep their first 54 characters and a short
 * hash of the whole id. Returns undefined when nothing usable is left.
 */
export function toEntityName(id: string): string | undefined {
  const last = id.trim().split('/').filter(Boolean).pop() ?? '';
  const slug = last
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '');
  if (!slug) {
    return undefined;
  }
  if (slug.length <= MAX_NAME_LENGTH) {
    return slug;
  }
  const hash = createHash('sha256').update(id).digest('hex').slice(0, 8);
  return `${slug.slice(0, MAX_NAME_LENGTH - 9).replace(/-+$/, '')}-${hash}`;
}

/**
 * Turns a free-form label (`Red Hat`, `region:us`, `GPU-Optimized`) into a
 * Backstage tag: lower case, runs of other characters than letters, digits,
 * `+` and `#` become `-`, at most 63 characters. Returns undefined when
 * nothing usable is left.
 */
export function toTag(label: string): string | undefined {
  const tag = label
    .toLowerCase()
    .replace(/[^a-z0-9+#]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, MAX_NAME_LENGTH)
    .replace(/-+$/, '');
  return tag || undefined;
}

/** Tags from labels, converted with `toTag`, without duplicates, in order. */
export function toTags(labels: Iterable<string>): string[] {
  const tags = new Set<string>();
  for (const label of labels) {
    const tag = toTag(label);
    if (tag) {
      tags.add(tag);
    }
  }
  return [...tags];
}
