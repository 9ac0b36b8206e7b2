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
 * database, a 12-hour processing interval and the search collator out of
 * the way.
 *
 * The catalog processes each entity again after 1 to 1.5 times its
 * processing interval. With 30 minutes, at 100,000 models on a slow machine
 * (23 minutes to ingest) the catalog started processing every model again
 * while the browse rounds ran: its queries took up to 17.6 s, a refreshed
 * model was served 273 s later, and browse shared the process with that
 * backlog. 12 hours is longer than any benchmark run, so every round
 * measures a catalog that has finished its ingestion and is otherwise idle;
 * the changes the propagation measurement makes are refreshed explicitly.
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
      '  processingInterval: { hours: 12 }',
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
