import type { LoggerService } from '@backstage/backend-plugin-api';
import type { NotificationService } from '@backstage/plugin-notifications-node';
import type { EntityDisplayNames } from './EntityDisplayNames';
import {
  type NameOf,
  type NotificationPayload,
  shortNameOf,
} from './notificationMessages';

/**
 * Sends the marketplace's notifications (topic `model-marketplace`) without
 * holding up the response: the notifications backend resolves groups to
 * users, which can take a while. Failures are logged, never thrown.
 */
export class Notifier {
  constructor(
    private readonly options: {
      notifications: NotificationService;
      logger: LoggerService;
      /** Display names; without them messages use short entity names. */
      names?: EntityDisplayNames;
    },
  ) {}

  /**
   * Notifies `recipients` (entity refs) with the payload `build` makes from
   * the display names of `refs`, leaving out `exclude`.
   */
  notify(
    recipients: string[],
    refs: Array<string | undefined>,
    build: (nameOf: NameOf) => NotificationPayload,
    exclude?: string,
  ): void {
    if (!recipients.length) {
      return;
    }
    const { notifications, logger, names } = this.options;
    const resolved = names ? names.resolve(refs) : Promise.resolve(shortNameOf);
    resolved
      .then(nameOf => {
        const payload = build(nameOf);
        return notifications
          .send({
            recipients: {
              type: 'entity',
              entityRef: recipients,
              ...(exclude ? { excludeEntityRef: exclude } : {}),
            },
            payload: { topic: 'model-marketplace', ...payload },
          })
          .catch(error =>
            logger.warn(
              `Could not send notification "${payload.title}": ${error}`,
            ),
          );
      })
      .catch(error => logger.warn(`Could not build a notification: ${error}`));
  }
}
