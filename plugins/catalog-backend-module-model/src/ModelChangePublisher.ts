import { LoggerService } from '@backstage/backend-plugin-api';
import { EventsService } from '@backstage/plugin-events-node';
import {
  ModelChangedEvent,
  MODEL_CHANGED_TOPIC,
  modelChangeKey,
  modelFingerprint,
  ModelEntity,
} from '@aic/plugin-model-marketplace-common';

/**
 * Announces Model entities whose processed content changed, on
 * {@link @aic/plugin-model-marketplace-common#MODEL_CHANGED_TOPIC}, so that
 * the marketplace's browse index can fetch just those entities instead of
 * listing the whole catalog.
 *
 * The catalog processes every entity again and again; this remembers the
 * fingerprint it last announced per model and stays silent while it is
 * unchanged. After a restart (or for a model another replica processed last)
 * it announces once more; readers ignore fingerprints they already hold.
 *
 * @public
 */
export class ModelChangePublisher {
  private readonly seen = new Map<string, string>();

  constructor(
    private readonly events: EventsService,
    private readonly logger: LoggerService,
  ) {}

  /** Called with each processed Model; publishes without waiting for readers. */
  processed(entity: ModelEntity) {
    const entityRef = modelChangeKey(entity);
    const fingerprint = modelFingerprint(entity);
    if (this.seen.get(entityRef) === fingerprint) {
      return;
    }
    this.seen.set(entityRef, fingerprint);
    const eventPayload: ModelChangedEvent = { entityRef, fingerprint };
    this.events
      .publish({ topic: MODEL_CHANGED_TOPIC, eventPayload })
      .catch(error => {
        // the next processing announces it again
        this.seen.delete(entityRef);
        this.logger.warn(
          `Could not announce a change of ${entityRef}: ${error}`,
        );
      });
  }
}
