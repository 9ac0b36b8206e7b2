import { ServerResponse } from 'node:http';
import { ResourceType } from './ResourceTypes';
import { Store, StoreEvent } from './Store';
import { statusBody } from './StatusError';

/** What a watch is about. */
export interface WatchRequest {
  type: ResourceType;
  namespace?: string;
  matches: (obj: any) => boolean;
  resourceVersion?: string;
  timeoutSeconds?: number;
}

/**
 * Streams newline-delimited watch events to a response: first the changes
 * after the requested resourceVersion (or ADDED for every object when none
 * or "0" is given), then live changes until the timeout, the client leaves,
 * or `stop` is called.
 */
export function streamWatch(
  store: Store,
  res: ServerResponse,
  watch: WatchRequest,
): { stop: () => void; done: Promise<void> } {
  res.writeHead(200, {
    'Content-Type': 'application/json',
    'Cache-Control': 'no-cache, private',
  });
  res.flushHeaders();

  const relevant = (e: StoreEvent) =>
    e.resourceType === watch.type &&
    (watch.namespace === undefined ||
      e.object.metadata.namespace === watch.namespace) &&
    watch.matches(e.object);
  const send = (type: string, object: unknown) => {
    if (!res.writableEnded) res.write(`${JSON.stringify({ type, object })}\n`);
  };

  let finish: () => void = () => {};
  const done = new Promise<void>(resolve => {
    finish = resolve;
  });
  let timer: NodeJS.Timeout | undefined;
  let unsubscribe: () => void = () => {};
  const stop = () => {
    unsubscribe();
    if (timer) clearTimeout(timer);
    if (!res.writableEnded) res.end();
    finish();
  };

  const rv = watch.resourceVersion;
  if (!rv || rv === '0') {
    for (const obj of store.list(watch.type, watch.namespace)) {
      if (watch.matches(obj)) send('ADDED', obj);
    }
  } else {
    const from = Number(rv);
    if (!Number.isFinite(from) || from < store.oldestWatchableVersion()) {
      send(
        'ERROR',
        statusBody(
          410,
          'Expired',
          `too old resource version: ${rv} (${store.oldestWatchableVersion()})`,
        ),
      );
      stop();
      return { stop, done };
    }
    for (const e of store.eventsSince(from)) {
      if (relevant(e)) send(e.type, e.object);
    }
  }
  unsubscribe = store.subscribe(e => {
    if (relevant(e)) send(e.type, e.object);
  });
  if (watch.timeoutSeconds && watch.timeoutSeconds > 0) {
    timer = setTimeout(stop, watch.timeoutSeconds * 1000);
  }
  res.on('close', stop);
  return { stop, done };
}
