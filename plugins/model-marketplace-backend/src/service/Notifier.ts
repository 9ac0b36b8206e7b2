import type { LoggerService } from '@backstage/backend-plugin-api';
import type {
  NotificationSendOptions,
  NotificationService,
} from '@backstage/plugin-notifications-node';
import type { EntityDisplayNames } from './EntityDisplayNames';
import type { NotificationOutbox } from './NotificationOutbox';
import {
  type NameOf,
  type NotificationPayload,
  shortNameOf,
} from './notificationMessages';

/**
 * Sends the marketplace's notifications (topic `model-marketplace`) without
 * holding up the response: the notifications backend resolves groups to
 * users, which can take a while. With an outbox, {@link Notifier.notify}
 * stores the notification durably before it returns and the outbox sends
 * it; without one it sends in the background. Failures are logged, never
 * thrown.
 */
export class Notifier {
  constructor(
    private readonly options: {
      notifications: NotificationService;
      logger: LoggerService;
      /** Display names; without them messages use short entity names. */
      names?: EntityDisplayNames;
      /** Where notifications wait to be sent; without it they are sent at once. */
      outbox?: NotificationOutbox;
    },
  ) {}

  /**
   * Notifies `recipients` (entity refs) with the payload `build` makes from
   * the display names of `refs`, leaving out `exclude`. Resolves once the
   * notification is stored in the outbox (or, without one, handed over for
   * sending).
   */
  async notify(
    recipients: string[],
    refs: Array<string | undefined>,
    build: (nameOf: NameOf) => NotificationPayload,
    exclude?: string,
  ): Promise<void> {
    if (!recipients.length) {
      return;
    }
    const { notifications, logger, names, outbox } = this.options;
    let notification: NotificationSendOptions;
    try {
      const nameOf = names ? await names.resolve(refs) : shortNameOf;
      notification = {
        recipients: {
          type: 'entity',
          entityRef: recipients,
          ...(exclude ? { excludeEntityRef: exclude } : {}),
        },
        payload: { topic: 'model-marketplace', ...build(nameOf) },
      };
    } catch (error) {
      logger.warn(`Could not build a notification: ${error}`);
      return;
    }
    const title = notification.payload.title;
    if (outbox) {
      await outbox
        .enqueue(notification)
        .catch(error =>
          logger.error(`Could not store notification "${title}": ${error}`),
        );
      return;
    }
    notifications
      .send(notification)
      .catch(error =>
        logger.warn(`Could not send notification "${title}": ${error}`),
      );
  }
}
