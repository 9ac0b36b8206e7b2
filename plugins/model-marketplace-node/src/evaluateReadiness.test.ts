import { evaluateReadiness } from './evaluateReadiness';

const deployment = (status: any, extra: any = {}) => ({
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name: 'x', generation: 2, ...extra.metadata },
  spec: { replicas: 2, ...extra.spec },
  status,
});

describe('evaluateReadiness', () => {
  it('follows kubectl rollout status for Deployments', () => {
    expect(evaluateReadiness(deployment({ observedGeneration: 1 })).state).toBe(
      'progressing',
    );
    expect(
      evaluateReadiness(
        deployment({ observedGeneration: 2, updatedReplicas: 1, replicas: 2 }),
      ).message,
    ).toBe('0/2 ready (1 of 2 new replicas updated)');
    expect(
      evaluateReadiness(
        deployment({ observedGeneration: 2, updatedReplicas: 2, replicas: 3 }),
      ).message,
    ).toBe('0/2 ready (1 old replicas pending termination)');
    expect(
      evaluateReadiness(
        deployment({
          observedGeneration: 2,
          updatedReplicas: 2,
          replicas: 2,
          availableReplicas: 1,
        }),
      ).message,
    ).toBe('1/2 ready');
    expect(
      evaluateReadiness(
        deployment({
          observedGeneration: 2,
          updatedReplicas: 2,
          replicas: 2,
          availableReplicas: 2,
        }),
      ),
    ).toMatchObject({ state: 'ready', readyReplicas: 2, desiredReplicas: 2 });
  });

  it('fails at once on ProgressDeadlineExceeded', () => {
    const r = evaluateReadiness(
      deployment({
        observedGeneration: 2,
        updatedReplicas: 0,
        conditions: [
          {
            type: 'Progressing',
            status: 'False',
            reason: 'ProgressDeadlineExceeded',
          },
        ],
      }),
    );
    expect(r.state).toBe('failed');
    expect(r.message).toMatch(/exceeded its progress deadline/);
  });

  it('reads a Deployment without status or replica count as one replica, not yet observed', () => {
    expect(
      evaluateReadiness({
        apiVersion: 'apps/v1',
        kind: 'Deployment',
        metadata: { name: 'fresh' },
      }),
    ).toEqual({
      state: 'progressing',
      message: '0/1 ready (spec update not observed yet)',
      readyReplicas: 0,
      desiredReplicas: 1,
    });
    // the progress deadline without the controller's message
    expect(
      evaluateReadiness(
        deployment({
          observedGeneration: 2,
          conditions: [
            { type: 'Progressing', reason: 'ProgressDeadlineExceeded' },
          ],
        }),
      ).message,
    ).toBe('deployment "x" exceeded its progress deadline');
  });

  it('reads an InferenceService without status as not ready yet', () => {
    expect(
      evaluateReadiness({
        apiVersion: 'serving.kserve.io/v1beta1',
        kind: 'InferenceService',
        metadata: { name: 'fresh' },
      }),
    ).toEqual({
      state: 'progressing',
      message: 'not ready yet',
      desiredReplicas: undefined,
      readyReplicas: 0,
    });
  });

  it('uses the Ready condition for InferenceServices', () => {
    const isvc = (status: any) => ({
      kind: 'InferenceService',
      metadata: { name: 'm' },
      spec: { predictor: { minReplicas: 1 } },
      status,
    });
    expect(evaluateReadiness(isvc({})).state).toBe('progressing');
    expect(
      evaluateReadiness(
        isvc({
          url: 'http://m.ns.example.com',
          conditions: [{ type: 'Ready', status: 'True' }],
        }),
      ),
    ).toMatchObject({ state: 'ready', url: 'http://m.ns.example.com' });
    expect(
      evaluateReadiness(
        isvc({
          conditions: [{ type: 'Ready', status: 'False', reason: 'Pending' }],
        }),
      ).state,
    ).toBe('progressing');
    expect(
      evaluateReadiness(
        isvc({
          conditions: [
            { type: 'Ready', status: 'False', reason: 'RevisionFailed' },
          ],
        }),
      ).state,
    ).toBe('failed');
  });

  it('uses the Ready condition and replicas for LLMInferenceServices', () => {
    const llm = (status: any, generation = 1) => ({
      kind: 'LLMInferenceService',
      metadata: { name: 'l', generation },
      spec: { replicas: 2 },
      status,
    });
    expect(evaluateReadiness(llm({}))).toMatchObject({
      state: 'progressing',
      desiredReplicas: 2,
      readyReplicas: 0,
    });
    expect(
      evaluateReadiness(
        llm(
          {
            observedGeneration: 1,
            conditions: [{ type: 'Ready', status: 'True' }],
          },
          2,
        ),
      ).message,
    ).toBe('spec update not observed yet');
    expect(
      evaluateReadiness(
        llm({
          observedGeneration: 1,
          addresses: [{ url: 'http://l.ns.svc.cluster.local' }],
          conditions: [{ type: 'Ready', status: 'True' }],
        }),
      ),
    ).toMatchObject({
      state: 'ready',
      url: 'http://l.ns.svc.cluster.local',
      readyReplicas: 2,
    });
    const failed = evaluateReadiness(
      llm({
        conditions: [
          {
            type: 'Ready',
            status: 'False',
            reason: 'ProgressDeadlineExceeded',
            message: 'main: no pods',
          },
        ],
      }),
    );
    expect(failed).toMatchObject({ state: 'failed' });
    expect(failed.message).toBe(
      'LLMInferenceService "l" failed: ProgressDeadlineExceeded: main: no pods',
    );
  });

  it('treats other kinds as ready when they exist', () => {
    expect(evaluateReadiness({ kind: 'Service' }).state).toBe('ready');
  });
});
