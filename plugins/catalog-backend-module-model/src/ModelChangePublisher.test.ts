import { mockServices } from '@backstage/backend-test-utils';
import { DefaultEventsService } from '@backstage/plugin-events-node';
import {
  MODEL_CHANGED_TOPIC,
  ModelEntity,
  modelFingerprint,
} from '@aic/plugin-model-marketplace-common';
import { ModelChangePublisher } from './ModelChangePublisher';

const model = (title: string): ModelEntity => ({
  apiVersion: 'aic.dev/v1alpha1',
  kind: 'Model',
  metadata: { name: 'alpha', namespace: 'default', title },
  spec: {
    type: 'llm',
    lifecycle: 'production',
    owner: 'team-a',
    versions: [{ version: '1', artifact: 'hf://x/y' }],
  },
});

describe('ModelChangePublisher', () => {
  it('announces a model when its content is new to it, once per content', async () => {
    const logger = mockServices.logger.mock();
    const events = DefaultEventsService.create({ logger });
    const received: unknown[] = [];
    await events.subscribe({
      id: 'test',
      topics: [MODEL_CHANGED_TOPIC],
      onEvent: async ({ eventPayload }) => {
        received.push(eventPayload);
      },
    });
    const publisher = new ModelChangePublisher(events, logger);

    publisher.processed(model('Alpha'));
    publisher.processed(model('Alpha'));
    // processed again with other catalog-owned metadata: the same content
    publisher.processed({
      ...model('Alpha'),
      metadata: { ...model('Alpha').metadata, uid: 'u1', etag: 'e2' },
    });
    publisher.processed(model('Alpha renamed'));
    await new Promise(r => setImmediate(r));

    expect(received).toEqual([
      {
        entityRef: 'model:default/alpha',
        fingerprint: modelFingerprint(model('Alpha')),
      },
      {
        entityRef: 'model:default/alpha',
        fingerprint: modelFingerprint(model('Alpha renamed')),
      },
    ]);
    expect(modelFingerprint(model('Alpha'))).not.toBe(
      modelFingerprint(model('Alpha renamed')),
    );
  });

  it('announces a change again after publishing it failed', async () => {
    const logger = mockServices.logger.mock();
    const published: unknown[] = [];
    let failures = 1;
    const events = {
      async publish({ eventPayload }: { eventPayload: unknown }) {
        if (failures > 0) {
          failures -= 1;
          throw new Error('events backend unavailable');
        }
        published.push(eventPayload);
      },
      async subscribe() {},
    };
    const publisher = new ModelChangePublisher(events, logger);

    publisher.processed(model('Alpha'));
    await new Promise(r => setImmediate(r));
    expect(published).toEqual([]);
    expect(logger.warn).toHaveBeenCalledWith(
      'Could not announce a change of model:default/alpha: Error: events backend unavailable',
    );

    // the same content processed again is announced, since the first try failed
    publisher.processed(model('Alpha'));
    await new Promise(r => setImmediate(r));
    expect(published).toEqual([
      {
        entityRef: 'model:default/alpha',
        fingerprint: modelFingerprint(model('Alpha')),
      },
    ]);
  });
});
