import { createHash } from 'node:crypto';

const MAX_NAME = 63;

/** Lower-cases and replaces everything outside `[a-z0-9-]` with dashes. */
function slug(value: string): string {
  return value
    .toLowerCase()
    .replace(/[^a-z0-9-]+/g, '-')
    .replace(/-+/g, '-')
    .replace(/^-+|-+$/g, '');
}

/**
 * The name of the objects of one deployment: `<model>-<version slug>`,
 * a DNS-1035 label (starts with a letter, at most 63 characters). When the
 * natural name is too long it is cut and suffixed with a short hash so two
 * long names stay distinct.
 *
 * @public
 */
export function deploymentName(model: string, version: string): string {
  let name = [slug(model), slug(version)].filter(Boolean).join('-');
  if (!/^[a-z]/.test(name)) {
    name = `m-${name}`;
  }
  if (name.length <= MAX_NAME) {
    return name.replace(/-+$/, '');
  }
  const hash = createHash('sha256')
    .update(`${model}\n${version}`)
    .digest('hex')
    .slice(0, 8);
  return `${name.slice(0, MAX_NAME - 9).replace(/-+$/, '')}-${hash}`;
}

/**
 * Makes any string a valid label value: at most 63 characters of
 * `[A-Za-z0-9._-]`, starting and ending with an alphanumeric character.
 *
 * @public
 */
export function labelValue(value: string): string {
  return value
    .replace(/[^A-Za-z0-9._-]+/g, '-')
    .slice(0, MAX_NAME)
    .replace(/^[^A-Za-z0-9]+|[^A-Za-z0-9]+$/g, '');
}
