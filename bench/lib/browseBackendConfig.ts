/*
 * The browse benchmark's backend set-up: the generated entities as catalog
 * files, and the config file that makes them the catalog's locations.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { root } from './backendProcess';
import type { BenchDatabase } from './benchDatabase';
import { GeneratedEntity, toCatalogFile } from './generatedModels';

/**
 * Writes the entities to catalog files of fileSize entities each and
 * returns their paths: as a large catalog is kept (a file per repository, not
 * one file of 100,000 entities, which the catalog would parse in one piece,
 * holding gigabytes and blocking its event loop for minutes).
 */
export function writeCatalogFiles(
  dir: string,
  prefix: string,
  entities: GeneratedEntity[],
  fileSize: number,
): string[] {
  const files: string[] = [];
  for (let i = 0; i < entities.length; i += fileSize) {
    const file = join(dir, `${prefix}-${files.length}.yaml`);
    writeFileSync(file, toCatalogFile(entities.slice(i, i + fileSize)));
    files.push(file);
  }
  return files;
}

/**
 * Writes the backend's extra config for `n` entities of `kind` in `files`
 * (besides the org's users and groups) and returns its path: the port, the
 * database, a 30-minute processing interval and the search collator out of
 * the way.
 */
export function configFor(options: {
  n: number;
  dir: string;
  files: string[];
  kind: string;
  port: number;
  database: BenchDatabase;
}) {
  const { n, dir, files, kind, port, database } = options;
  const configFile = join(dir, `config-${kind}-${n}.yaml`);
  writeFileSync(
    configFile,
    [
      'backend:',
      `  baseUrl: http://localhost:${port}`,
      '  listen:',
      `    port: ${port}`,
      ...database.configLines,
      'catalog:',
      '  processingInterval: { minutes: 30 }',
      '  locations:',
      '    - type: file',
      `      target: ${join(root, 'examples/org.yaml')}`,
      '      rules:',
      '        - allow: [User, Group]',
      ...files.flatMap(file => [
        '    - type: file',
        `      target: ${file}`,
        '      rules:',
        `        - allow: [${kind}]`,
      ]),
      'search:',
      '  collators:',
      '    catalog:',
      '      schedule:',
      '        frequency: { hours: 24 }',
      '        timeout: { minutes: 15 }',
      '        initialDelay: { hours: 24 }',
    ].join('\n'),
  );
  return configFile;
}
