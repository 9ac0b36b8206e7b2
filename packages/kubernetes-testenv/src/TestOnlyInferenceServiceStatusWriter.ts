import { ApiClient, ApiError } from './ApiClient';

const FIELD_MANAGER = 'aic-test-only-kserve-status-writer';

/**
 * The KServe kinds the writer stands in for: where they are listed, the
 * Deployment KServe would run for each, and the name of the condition
 * that mirrors that Deployment.
 */
type ServedKind = {
  apiVersion: string;
  kind: string;
  /** The all-namespaces collection path. */
  collection: string;
  /** The condition of the workload component (PredictorReady, MainWorkloadReady). */
  component: string;
  /** The conditions KServe sets besides the component's and Ready. */
  extra: string[];
  workload(obj: any): {
    name: string;
    labels: Record<string, string>;
    selector: Record<string, string>;
    replicas: number;
    container: Record<string, any>;
    progressDeadlineSeconds?: number;
  };
};

const SERVED_KINDS: ServedKind[] = [
  {
    apiVersion: 'serving.kserve.io/v1beta1',
    kind: 'InferenceService',
    collection: '/apis/serving.kserve.io/v1beta1/inferenceservices',
    component: 'PredictorReady',
    extra: ['IngressReady'],
    workload(isvc) {
      const { name } = isvc.metadata;
      const predictor = isvc.spec?.predictor ?? {};
      const model = predictor.model ?? {};
      return {
        name: `${name}-predictor`,
        labels: {
          ...(predictor.labels ?? {}),
          'serving.kserve.io/inferenceservice': name,
          component: 'predictor',
        },
        selector: {
          'serving.kserve.io/inferenceservice': name,
          component: 'predictor',
        },
        replicas: predictor.minReplicas ?? 1,
        progressDeadlineSeconds: predictor.progressDeadlineSeconds,
        container: {
          name: 'kserve-container',
          // which runtime image KServe would pick does not matter to
          // kwok; the resources do (scheduling, GPUs)
          image: `kserve/${model.modelFormat?.name ?? 'model'}-server`,
          ...(model.args ? { args: model.args } : {}),
          env: model.storageUri
            ? [{ name: 'STORAGE_URI', value: model.storageUri }]
            : [],
          ...(model.resources ? { resources: model.resources } : {}),
        },
      };
    },
  },
  {
    apiVersion: 'serving.kserve.io/v1alpha1',
    kind: 'LLMInferenceService',
    collection: '/apis/serving.kserve.io/v1alpha1/llminferenceservices',
    component: 'MainWorkloadReady',
    extra: ['WorkloadsReady', 'RouterReady'],
    workload(llm) {
      const { name } = llm.metadata;
      const main =
        (llm.spec?.template?.containers ?? []).find(
          (c: any) => c.name === 'main',
        ) ?? {};
      return {
        // KServe's name for the single-node workload of an LLMInferenceService
        name: `${name}-kserve`,
        labels: {
          'app.kubernetes.io/name': name,
          'app.kubernetes.io/component': 'llminferenceservice-workload',
        },
        selector: {
          'app.kubernetes.io/name': name,
          'app.kubernetes.io/component': 'llminferenceservice-workload',
        },
        replicas: llm.spec?.replicas ?? 1,
        container: {
          name: 'main',
          // the vLLM image KServe's preset would pick; kwok does not run it
          image: main.image ?? 'kserve/vllm-serving',
          ...(main.args ? { args: main.args } : {}),
          env: llm.spec?.model?.uri
            ? [{ name: 'MODEL_URI', value: llm.spec.model.uri }]
            : [],
          ...(main.resources ? { resources: main.resources } : {}),
        },
      };
    },
  },
];

type Condition = {
  type: string;
  status: 'True' | 'False' | 'Unknown';
  reason?: string;
  message?: string;
  lastTransitionTime?: string;
};

/**
 * TEST ONLY. Stands in for the KServe controller in RawDeployment mode, which
 * does not build cheaply here (see docs/kubernetes-testenv.md). For each
 * InferenceService it server-side applies a real `<name>-predictor`
 * Deployment, for each LLMInferenceService a real `<name>-kserve` Deployment
 * (owned by it, so the real garbage collector removes it with its owner),
 * and copies that Deployment's rollout state into the object's status: `Ready=True` and `status.url` only once the
 * Deployment is available by `kubectl rollout status` rules, `Ready=False`
 * with reason `ProgressDeadlineExceeded` when the deployment controller says
 * so. Pods, ReplicaSets, scheduling and readiness all come from the real
 * controllers and kwok; only this bridge is ours.
 */
export class TestOnlyInferenceServiceStatusWriter {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;
  private stopped = false;

  constructor(
    private readonly client: ApiClient,
    private readonly options: {
      intervalMs?: number;
      onError?: (e: Error) => void;
    } = {},
  ) {}

  start() {
    const tick = () => {
      if (this.stopped) return;
      this.running = this.syncAll()
        .catch(e => this.options.onError?.(e as Error))
        .finally(() => {
          if (!this.stopped) {
            this.timer = setTimeout(tick, this.options.intervalMs ?? 250);
          }
        });
    };
    tick();
  }

  async stop() {
    this.stopped = true;
    clearTimeout(this.timer);
    await this.running;
  }

  /**
   * One pass over every InferenceService and LLMInferenceService (a kind
   * whose CRD is not installed is skipped).
   */
  async syncAll(): Promise<void> {
    for (const served of SERVED_KINDS) {
      let list: any;
      try {
        list = await this.client.request<any>('GET', served.collection);
      } catch (e) {
        if (e instanceof ApiError && e.status === 404) continue;
        throw e;
      }
      await Promise.all(
        (list.items ?? []).map((obj: any) =>
          this.sync(served, obj).catch(e => {
            // deleted meanwhile: nothing to do
            if (e instanceof ApiError && e.status === 404) return;
            throw e;
          }),
        ),
      );
    }
  }

  /** The Deployment KServe would run for an object, owned by it. */
  private childDeployment(served: ServedKind, obj: any) {
    const { name, namespace, uid } = obj.metadata;
    const w = served.workload(obj);
    const labels: Record<string, string> = {
      ...(obj.metadata.labels ?? {}),
      ...w.labels,
    };
    return {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: {
        name: w.name,
        namespace,
        labels,
        ownerReferences: [
          {
            apiVersion: served.apiVersion,
            kind: served.kind,
            name,
            uid,
            controller: true,
            blockOwnerDeletion: true,
          },
        ],
      },
      spec: {
        replicas: w.replicas,
        ...(w.progressDeadlineSeconds
          ? { progressDeadlineSeconds: w.progressDeadlineSeconds }
          : {}),
        selector: { matchLabels: w.selector },
        template: {
          metadata: { labels },
          spec: { containers: [w.container] },
        },
      },
    };
  }

  private async sync(served: ServedKind, isvc: any): Promise<void> {
    if (isvc.metadata.deletionTimestamp) return;
    const { name, namespace } = isvc.metadata;
    const deployment = await this.client.apply(
      this.childDeployment(served, isvc),
      FIELD_MANAGER,
    );
    const conditions = this.conditions(served, deployment);
    const ready = conditions.find(c => c.type === 'Ready')?.status === 'True';
    const url = `http://${name}.${namespace}.svc.cluster.local`;
    const llm = served.kind === 'LLMInferenceService';
    const status = {
      observedGeneration: isvc.metadata.generation,
      conditions,
      ...(ready
        ? { url, address: { url }, ...(llm ? { addresses: [{ url }] } : {}) }
        : {}),
    };
    const current = isvc.status ?? {};
    const same =
      current.observedGeneration === status.observedGeneration &&
      (current.url ?? undefined) === (status.url ?? undefined) &&
      JSON.stringify(
        (current.conditions ?? []).map((c: Condition) => [
          c.type,
          c.status,
          c.reason,
        ]),
      ) ===
        JSON.stringify(
          conditions.map((c: Condition) => [c.type, c.status, c.reason]),
        );
    if (same) return;
    const now = new Date().toISOString();
    await this.client.request(
      'PATCH',
      `${served.collection.replace(
        /\/([a-z]+)$/,
        `/namespaces/${namespace}/$1`,
      )}/${name}/status`,
      {
        status: {
          ...status,
          conditions: conditions.map(c => ({ ...c, lastTransitionTime: now })),
          ...(ready
            ? {}
            : {
                url: null,
                address: null,
                ...(llm ? { addresses: null } : {}),
              }),
        },
      },
      'application/merge-patch+json',
    );
  }

  /** The conditions KServe sets for its workload Deployment's state. */
  private conditions(served: ServedKind, deployment: any): Condition[] {
    const status = deployment.status ?? {};
    const desired = deployment.spec?.replicas ?? 1;
    const progressing = (status.conditions ?? []).find(
      (c: any) => c.type === 'Progressing',
    );
    let predictor: Condition;
    if (progressing?.reason === 'ProgressDeadlineExceeded') {
      predictor = {
        type: served.component,
        status: 'False',
        reason: 'ProgressDeadlineExceeded',
        message: progressing.message,
      };
    } else if (
      (status.observedGeneration ?? -1) >=
        (deployment.metadata.generation ?? 0) &&
      (status.updatedReplicas ?? 0) >= desired &&
      (status.replicas ?? 0) <= (status.updatedReplicas ?? 0) &&
      (status.availableReplicas ?? 0) >= desired
    ) {
      predictor = { type: served.component, status: 'True' };
    } else {
      predictor = {
        type: served.component,
        status: 'False',
        reason: `${served.component.replace(/Ready$/, '')}NotReady`,
        message: `${
          status.availableReplicas ?? 0
        }/${desired} replicas available`,
      };
    }
    const ready: Condition = {
      ...predictor,
      type: 'Ready',
    };
    return [
      ...served.extra.map(type => ({
        type,
        status: predictor.status,
        reason: predictor.reason,
      })),
      predictor,
      ready,
    ];
  }
}
