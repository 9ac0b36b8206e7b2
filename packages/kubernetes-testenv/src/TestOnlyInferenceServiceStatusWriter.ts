import { ApiClient, ApiError } from './ApiClient';

const FIELD_MANAGER = 'aic-test-only-kserve-status-writer';
const ISVC_PATH = '/apis/serving.kserve.io/v1beta1';

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
 * Deployment (owned by the InferenceService, so the real garbage collector
 * removes it with its owner) and copies that Deployment's rollout state into
 * the InferenceService's status: `Ready=True` and `status.url` only once the
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

  /** One pass over every InferenceService. */
  async syncAll(): Promise<void> {
    const list = await this.client.request<any>(
      'GET',
      `${ISVC_PATH}/inferenceservices`,
    );
    await Promise.all(
      (list.items ?? []).map((isvc: any) =>
        this.sync(isvc).catch(e => {
          // deleted meanwhile: nothing to do
          if (e instanceof ApiError && e.status === 404) return;
          throw e;
        }),
      ),
    );
  }

  private predictorDeployment(isvc: any) {
    const { name, namespace, uid } = isvc.metadata;
    const predictor = isvc.spec?.predictor ?? {};
    const model = predictor.model ?? {};
    const labels: Record<string, string> = {
      ...(isvc.metadata.labels ?? {}),
      ...(predictor.labels ?? {}),
      'serving.kserve.io/inferenceservice': name,
      component: 'predictor',
    };
    const selector = {
      'serving.kserve.io/inferenceservice': name,
      component: 'predictor',
    };
    return {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: {
        name: `${name}-predictor`,
        namespace,
        labels,
        ownerReferences: [
          {
            apiVersion: 'serving.kserve.io/v1beta1',
            kind: 'InferenceService',
            name,
            uid,
            controller: true,
            blockOwnerDeletion: true,
          },
        ],
      },
      spec: {
        replicas: predictor.minReplicas ?? 1,
        ...(predictor.progressDeadlineSeconds
          ? { progressDeadlineSeconds: predictor.progressDeadlineSeconds }
          : {}),
        selector: { matchLabels: selector },
        template: {
          metadata: { labels },
          spec: {
            containers: [
              {
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
            ],
          },
        },
      },
    };
  }

  private async sync(isvc: any): Promise<void> {
    if (isvc.metadata.deletionTimestamp) return;
    const { name, namespace } = isvc.metadata;
    const deployment = await this.client.apply(
      this.predictorDeployment(isvc),
      FIELD_MANAGER,
    );
    const conditions = this.conditions(deployment);
    const ready = conditions.find(c => c.type === 'Ready')?.status === 'True';
    const url = `http://${name}.${namespace}.svc.cluster.local`;
    const status = {
      observedGeneration: isvc.metadata.generation,
      conditions,
      ...(ready ? { url, address: { url } } : {}),
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
      `${ISVC_PATH}/namespaces/${namespace}/inferenceservices/${name}/status`,
      {
        status: {
          ...status,
          conditions: conditions.map(c => ({ ...c, lastTransitionTime: now })),
          ...(ready ? {} : { url: null, address: null }),
        },
      },
      'application/merge-patch+json',
    );
  }

  /** The InferenceService conditions for a predictor Deployment's state. */
  private conditions(deployment: any): Condition[] {
    const status = deployment.status ?? {};
    const desired = deployment.spec?.replicas ?? 1;
    const progressing = (status.conditions ?? []).find(
      (c: any) => c.type === 'Progressing',
    );
    let predictor: Condition;
    if (progressing?.reason === 'ProgressDeadlineExceeded') {
      predictor = {
        type: 'PredictorReady',
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
      predictor = { type: 'PredictorReady', status: 'True' };
    } else {
      predictor = {
        type: 'PredictorReady',
        status: 'False',
        reason: 'PredictorNotReady',
        message: `${
          status.availableReplicas ?? 0
        }/${desired} predictor replicas available`,
      };
    }
    const ready: Condition = {
      ...predictor,
      type: 'Ready',
    };
    return [
      {
        type: 'IngressReady',
        status: predictor.status,
        reason: predictor.reason,
      },
      predictor,
      ready,
    ];
  }
}
