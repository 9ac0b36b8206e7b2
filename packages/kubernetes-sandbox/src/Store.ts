import { ResourceType, apiVersionOf } from './ResourceTypes';

/** A change to an object, as a watch reports it. */
export interface StoreEvent {
  type: 'ADDED' | 'MODIFIED' | 'DELETED';
  resourceType: ResourceType;
  object: any;
  resourceVersion: number;
}

const HISTORY_LIMIT = 10000;

function keyOf(type: ResourceType, namespace: string, name: string) {
  return `${apiVersionOf(type)}|${type.kind}|${namespace}|${name}`;
}

/**
 * The in-memory object store: objects by type, namespace and name, one
 * global resourceVersion counter, and a bounded history of changes for
 * watches.
 */
export class Store {
  private readonly objects = new Map<string, any>();
  private readonly history: StoreEvent[] = [];
  private readonly listeners = new Set<(e: StoreEvent) => void>();
  private counter = 1000;

  /** The current global resourceVersion. */
  currentVersion(): number {
    return this.counter;
  }

  /** The oldest resourceVersion a watch can start from. */
  oldestWatchableVersion(): number {
    return this.history.length > 0
      ? this.history[0].resourceVersion - 1
      : this.counter;
  }

  get(type: ResourceType, namespace: string, name: string): any | undefined {
    const obj = this.objects.get(keyOf(type, namespace, name));
    return obj ? structuredClone(obj) : undefined;
  }

  list(type: ResourceType, namespace?: string): any[] {
    const prefix = `${apiVersionOf(type)}|${type.kind}|`;
    const result: any[] = [];
    for (const [key, obj] of this.objects) {
      if (!key.startsWith(prefix)) continue;
      if (
        namespace !== undefined &&
        (obj.metadata.namespace ?? '') !== namespace
      )
        continue;
      result.push(structuredClone(obj));
    }
    return result.sort((a, b) =>
      `${a.metadata.namespace ?? ''}/${a.metadata.name}`.localeCompare(
        `${b.metadata.namespace ?? ''}/${b.metadata.name}`,
      ),
    );
  }

  all(): any[] {
    return [...this.objects.values()].map(o => structuredClone(o));
  }

  /**
   * Stores an object (new or changed), giving it the next resourceVersion,
   * and tells the watchers. Returns the stored copy.
   */
  put(type: ResourceType, obj: any): any {
    const namespace = type.namespaced ? obj.metadata.namespace : '';
    const key = keyOf(type, namespace, obj.metadata.name);
    const existed = this.objects.has(key);
    this.counter += 1;
    const stored = structuredClone(obj);
    stored.metadata.resourceVersion = String(this.counter);
    this.objects.set(key, stored);
    this.emit({
      type: existed ? 'MODIFIED' : 'ADDED',
      resourceType: type,
      object: stored,
      resourceVersion: this.counter,
    });
    return structuredClone(stored);
  }

  /** Removes an object and tells the watchers. Returns what was removed. */
  remove(type: ResourceType, namespace: string, name: string): any | undefined {
    const key = keyOf(type, namespace, name);
    const obj = this.objects.get(key);
    if (!obj) return undefined;
    this.objects.delete(key);
    this.counter += 1;
    const removed = structuredClone(obj);
    removed.metadata.resourceVersion = String(this.counter);
    this.emit({
      type: 'DELETED',
      resourceType: type,
      object: removed,
      resourceVersion: this.counter,
    });
    return structuredClone(removed);
  }

  /** Changes after `resourceVersion`, oldest first. */
  eventsSince(resourceVersion: number): StoreEvent[] {
    return this.history.filter(e => e.resourceVersion > resourceVersion);
  }

  subscribe(listener: (e: StoreEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private emit(event: StoreEvent) {
    this.history.push(event);
    if (this.history.length > HISTORY_LIMIT) this.history.shift();
    for (const listener of [...this.listeners]) listener(event);
  }
}
