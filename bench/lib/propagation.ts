/*
 * How fast a catalog change reaches the marketplace's browse results: the
 * time from the catalog call that makes the change (a refresh of the
 * changed entity, which re-reads its catalog file; or the deletion of an
 * entity) to the first browse response that shows it, polled every 50 ms.
 * For a change and an addition it also records when the catalog itself
 * first served the new entity (its own processing of the file), so that the
 * index's share, the lag after the catalog, can be told apart.
 *
 * `file` holds only `models` (two models the guest's team owns), beside the
 * location with the other N - 2: the refresh re-reads two entities, as a
 * repository's catalog-info.yaml would be, not the whole benchmark set.
 * Waits are bounded at 10 minutes: on a loaded machine the catalog's own
 * processing is slow and blocks its event loop (connections time out), and
 * a wait that ends early measures nothing.
 */
import { writeFileSync } from 'node:fs';
import { waitFor } from './backendProcess';
import { GeneratedEntity, toCatalogFile } from './generatedModels';

export type Propagation = {
  changeMs: number;
  /** When the catalog served the changed entity. */
  changeCatalogMs: number;
  addMs: number;
  /** When the catalog served the added entity. */
  addCatalogMs: number;
  /** Undefined when the deletion could not be measured (the reason is printed). */
  removeMs?: number;
};

const BOUND_MS = 600_000;

export async function measurePropagation(options: {
  base: string;
  token: string;
  file: string;
  models: GeneratedEntity[];
  /** Throws (fatally) when the backend has gone; called before each poll. */
  alive?: () => void;
}): Promise<Propagation> {
  const { base, file } = options;
  const alive = options.alive ?? (() => {});
  const models = [...options.models];
  const auth = {
    Authorization: `Bearer ${options.token}`,
    'Content-Type': 'application/json',
  };
  const get = async (path: string) => {
    alive();
    const res = await fetch(`${base}${path}`, { headers: auth });
    return { status: res.status, body: (await res.json()) as any };
  };
  const refresh = async (name: string) => {
    const res = await fetch(`${base}/api/catalog/refresh`, {
      method: 'POST',
      headers: auth,
      body: JSON.stringify({ entityRef: `model:default/${name}` }),
    });
    if (!res.ok) {
      throw new Error(`refresh of ${name}: ${res.status} ${await res.text()}`);
    }
  };
  /** Resolves with the ms since `start` at which the catalog serves `name` titled `title`. */
  const catalogServes = (name: string, title: string, start: number) =>
    waitFor(
      `the catalog to serve ${name}`,
      async () => {
        const { body } = await get(
          `/api/catalog/entities/by-name/model/default/${name}`,
        );
        return body.metadata?.title === title
          ? performance.now() - start
          : undefined;
      },
      BOUND_MS,
      50,
    );
  const browseShows = (q: string, name: string) => async () => {
    const { body } = await get(
      `/api/model-marketplace/models?${new URLSearchParams({ q })}`,
    );
    return body.items?.some((m: any) => m.name === name) ? true : undefined;
  };
  // models the guest user's team owns (the guest may delete those)
  const owned = models
    .map((m, i) => ({ m, i }))
    .filter(({ m }) => m.spec.owner === 'team-assistants');
  const changed = owned[0].m;
  const removed = owned[1].m;

  // 1. a changed title
  models[owned[0].i] = {
    ...changed,
    metadata: {
      ...changed.metadata,
      title: `Quokka ${changed.metadata.title}`,
    },
  };
  writeFileSync(file, toCatalogFile(models));
  let start = performance.now();
  await refresh(changed.metadata.name);
  const [changeCatalogMs] = await Promise.all([
    catalogServes(
      changed.metadata.name,
      `Quokka ${changed.metadata.title}`,
      start,
    ),
    waitFor(
      'the changed title in browse',
      browseShows('quokka', changed.metadata.name),
      BOUND_MS,
      50,
    ),
  ]);
  const changeMs = performance.now() - start;

  // 2. a new model in the same file
  const added: GeneratedEntity = {
    ...changed,
    metadata: {
      ...changed.metadata,
      name: 'bench-model-added',
      title: 'Wombat added model',
    },
  };
  models.push(added);
  writeFileSync(file, toCatalogFile(models));
  start = performance.now();
  await refresh(changed.metadata.name);
  const [addCatalogMs] = await Promise.all([
    catalogServes('bench-model-added', 'Wombat added model', start),
    waitFor(
      'the added model in browse',
      browseShows('wombat', 'bench-model-added'),
      BOUND_MS,
      50,
    ),
  ]);
  const addMs = performance.now() - start;

  const measureDeletion = async () => {
    // 3. a model taken out of its file, the file re-read, and the entity
    // deleted from the catalog. (Waiting for the catalog to mark it an
    // orphan first does not work: it does so only when it next processes
    // the entity, every processingInterval.)
    writeFileSync(file, toCatalogFile(models.filter(m => m !== removed)));
    await refresh(changed.metadata.name);
    const { body: served } = await get(
      `/api/catalog/entities/by-name/model/default/${removed.metadata.name}`,
    );
    const uid = served.metadata?.uid as string | undefined;
    if (!uid) {
      throw new Error(`the catalog does not serve ${removed.metadata.name}`);
    }
    start = performance.now();
    const del = await fetch(`${base}/api/catalog/entities/by-uid/${uid}`, {
      method: 'DELETE',
      headers: auth,
    });
    if (!del.ok) {
      throw new Error(`delete: ${del.status} ${await del.text()}`);
    }
    await waitFor(
      'the deleted model to leave the index',
      async () =>
        (
          await get(
            `/api/model-marketplace/models/default/${removed.metadata.name}`,
          )
        ).status === 404
          ? true
          : undefined,
      BOUND_MS,
      50,
    );
    return performance.now() - start;
  };
  let removeMs: number | undefined;
  try {
    removeMs = await measureDeletion();
  } catch (error) {
    process.stdout.write(`deletion not measured: ${error}\n`);
  }
  return { changeMs, changeCatalogMs, addMs, addCatalogMs, removeMs };
}
