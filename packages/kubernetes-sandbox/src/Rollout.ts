import { jsonEqual } from './FieldPaths';
import { ResourceType } from './ResourceTypes';
import { Store } from './Store';
import { WorkloadBehavior } from './types';

function now(): string {
  return new Date().toISOString().replace(/\.\d+Z$/, 'Z');
}

type Condition = {
  type: string;
  status: string;
  lastTransitionTime?: string;
};

/** The conditions of a previous status, keeping only well-formed entries. */
function previousConditions(status: unknown): Condition[] | undefined {
  if (typeof status !== 'object' || status === null) {
    return undefined;
  }
  if (!('conditions' in status) || !Array.isArray(status.conditions)) {
    return undefined;
  }
  return status.conditions.filter(
    (c: unknown): c is Condition =>
      typeof c === 'object' &&
      c !== null &&
      'type' in c &&
      typeof c.type === 'string' &&
      'status' in c &&
      typeof c.status === 'string',
  );
}

function condition(
  type: string,
  status: 'True' | 'False' | 'Unknown',
  reason: string,
  message: string,
  previous: Condition[] | undefined,
) {
  const before = previous?.find(c => c.type === type);
  const time = now();
  return {
    type,
    status,
    lastUpdateTime: time,
    lastTransitionTime:
      before && before.status === status ? before.lastTransitionTime : time,
    reason,
    message,
  };
}

type Phase = 'progressing' | 'done';

/**
 * The simulated controllers: after a Deployment or InferenceService is
 * created or its spec changes, its status moves towards ready (or towards
 * the failure its behaviour asks for) over `delayMs`.
 */
export class Rollout {
  private readonly timers = new Set<NodeJS.Timeout>();
  private readonly behaviors = new Map<string, WorkloadBehavior>();
  private defaultBehavior: WorkloadBehavior = 'ready';

  constructor(
    private readonly store: Store,
    private readonly delayMs: number,
  ) {}

  setBehavior(namespace: string, name: string, b: WorkloadBehavior) {
    this.behaviors.set(`${namespace}/${name}`, b);
  }

  setDefaultBehavior(b: WorkloadBehavior) {
    this.defaultBehavior = b;
  }

  private behaviorOf(obj: any): WorkloadBehavior {
    return (
      this.behaviors.get(`${obj.metadata.namespace}/${obj.metadata.name}`) ??
      this.defaultBehavior
    );
  }

  /** Called after a workload was created or its spec changed. */
  onSpecChange(type: ResourceType, obj: any) {
    const generation = obj.metadata.generation;
    const { namespace, name } = obj.metadata;
    this.schedule(Math.floor(this.delayMs / 2), () =>
      this.advance(type, namespace, name, generation, 'progressing'),
    );
    this.schedule(this.delayMs, () =>
      this.advance(type, namespace, name, generation, 'done'),
    );
  }

  close() {
    for (const t of this.timers) clearTimeout(t);
    this.timers.clear();
  }

  private schedule(ms: number, fn: () => void) {
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      fn();
    }, ms);
    this.timers.add(timer);
  }

  private advance(
    type: ResourceType,
    namespace: string,
    name: string,
    generation: number,
    phase: Phase,
  ) {
    const obj = this.store.get(type, namespace, name);
    if (!obj || obj.metadata.generation !== generation) return;
    if (obj.metadata.deletionTimestamp) return;
    const behavior = this.behaviorOf(obj);
    const status =
      type.kind === 'Deployment'
        ? this.deploymentStatus(obj, behavior, phase)
        : this.inferenceServiceStatus(obj, behavior, phase);
    if (jsonEqual(status, obj.status)) return;
    this.store.put(type, { ...obj, status });
  }

  private deploymentStatus(obj: any, behavior: WorkloadBehavior, phase: Phase) {
    const replicas: number = obj.spec?.replicas ?? 1;
    const prev = obj.status ?? {};
    const conditions = previousConditions(prev);
    const rsName = `${obj.metadata.name}-${String(
      obj.metadata.generation,
    ).padStart(5, '0')}`;
    const base = {
      observedGeneration: obj.metadata.generation,
      replicas,
    };
    const ready = (behavior === 'ready' && phase === 'done') || replicas === 0;
    if (ready) {
      return {
        ...base,
        updatedReplicas: replicas,
        readyReplicas: replicas,
        availableReplicas: replicas,
        conditions: [
          condition(
            'Available',
            'True',
            'MinimumReplicasAvailable',
            'Deployment has minimum availability.',
            conditions,
          ),
          condition(
            'Progressing',
            'True',
            'NewReplicaSetAvailable',
            `ReplicaSet "${rsName}" has successfully progressed.`,
            conditions,
          ),
        ],
      };
    }
    const available =
      behavior === 'ready'
        ? Math.min(prev.availableReplicas ?? 0, replicas)
        : 0;
    const updated =
      behavior === 'ready' ? Math.max(1, Math.ceil(replicas / 2)) : replicas;
    const deadline =
      behavior === 'progress-deadline-exceeded' && phase === 'done';
    return {
      ...base,
      updatedReplicas: updated,
      ...(available > 0
        ? { readyReplicas: available, availableReplicas: available }
        : {}),
      unavailableReplicas: replicas - available,
      conditions: [
        condition(
          'Available',
          available >= replicas ? 'True' : 'False',
          available >= replicas
            ? 'MinimumReplicasAvailable'
            : 'MinimumReplicasUnavailable',
          available >= replicas
            ? 'Deployment has minimum availability.'
            : 'Deployment does not have minimum availability.',
          conditions,
        ),
        deadline
          ? condition(
              'Progressing',
              'False',
              'ProgressDeadlineExceeded',
              `ReplicaSet "${rsName}" has timed out progressing.`,
              conditions,
            )
          : condition(
              'Progressing',
              'True',
              'ReplicaSetUpdated',
              `ReplicaSet "${rsName}" is progressing.`,
              conditions,
            ),
      ],
    };
  }

  private inferenceServiceStatus(
    obj: any,
    behavior: WorkloadBehavior,
    phase: Phase,
  ) {
    const prev = obj.status ?? {};
    const conditions = previousConditions(prev);
    const { name, namespace } = obj.metadata;
    const url = `http://${name}.${namespace}.example.com`;
    const base = { observedGeneration: obj.metadata.generation };
    if (behavior === 'ready' && phase === 'done') {
      return {
        ...base,
        url,
        address: {
          url: `http://${name}-predictor.${namespace}.svc.cluster.local`,
        },
        components: {
          predictor: { latestReadyRevision: `${name}-predictor-00001` },
        },
        conditions: [
          condition('IngressReady', 'True', 'Ready', '', conditions),
          condition('PredictorReady', 'True', 'Ready', '', conditions),
          condition('Ready', 'True', 'Ready', '', conditions),
        ].map(({ lastUpdateTime: _, ...c }) => c),
      };
    }
    let ready: any;
    if (behavior === 'progress-deadline-exceeded' && phase === 'done') {
      ready = condition(
        'Ready',
        'False',
        'ProgressDeadlineExceeded',
        `Revision "${name}-predictor-00001" failed to become ready within its progress deadline.`,
        conditions,
      );
    } else if (behavior === 'never-ready') {
      ready = condition(
        'Ready',
        'False',
        'PredictorNotReady',
        'Predictor is not ready: no replica became available.',
        conditions,
      );
    } else {
      ready = condition(
        'Ready',
        'Unknown',
        'RevisionNotReady',
        'Waiting for the predictor to become ready.',
        conditions,
      );
    }
    const predictor = { ...ready, type: 'PredictorReady' };
    return {
      ...base,
      ...(prev.url ? { url: prev.url } : {}),
      conditions: [predictor, ready].map(({ lastUpdateTime: _, ...c }) => c),
    };
  }
}
