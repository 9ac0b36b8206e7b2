import type { LoggerService } from '@backstage/backend-plugin-api';
import type {
  NotificationSendOptions,
  NotificationService,
} from '@backstage/plugin-notifications-node';
import type { EntityDisplayNames } from './EntityDisplayNames';
import { NotificationOutbox } from './NotificationOutbox';
import {
  type NameOf,
  type NotificationPayload,
  shortNameOf,
} from './notificationMessages';

/** A notification built before the action it belongs to is written. */
export type PreparedNotification = {
  /** Outbox rows to write in the action's transaction. */
  rows: string[];
  /** The notification's title, for log messages; none when nobody is notified. */
  title?: string;
  /** To call once the action's transaction has committed. */
  committed: () => void;
};

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
    const { rows, title, committed } = await this.prepare(
      recipients,
      refs,
      build,
      exclude,
    );
    const { outbox, logger } = this.options;
    if (outbox && rows.length) {
      try {
        await outbox.store(rows);
      } catch (error) {
        logger.error(`Could not store notification "${title}": ${error}`);
        return;
      }
    }
    committed();
  }

  /**
   * Like {@link Notifier.notify}, for an action that writes the outbox row
   * in its own transaction: `rows` are the outbox rows to write with it
   * (none without an outbox), and `committed` is called once that
   * transaction has committed (it starts the drain, or without an outbox
   * sends the notification).
   */
  async prepare(
    recipients: string[],
    refs: Array<string | undefined>,
    build: (nameOf: NameOf) => NotificationPayload,
    exclude?: string,
  ): Promise<PreparedNotification> {
    const notification = await this.build(recipients, refs, build, exclude);
    const { outbox } = this.options;
    if (!notification) {
      return { rows: [], committed: () => {} };
    }
    const title = notification.payload.title;
    if (outbox) {
      return {
        rows: [NotificationOutbox.serialize(notification)],
        title,
        committed: () => outbox.kick(),
      };
    }
    return {
      rows: [],
      title,
      committed: () => {
        this.options.notifications
          .send(notification)
          .catch(error =>
            this.options.logger.warn(
              `Could not send notification "${title}": ${error}`,
            ),
          );
      },
    };
  }

  private async build(
    recipients: string[],
    refs: Array<string | undefined>,
    build: (nameOf: NameOf) => NotificationPayload,
    exclude?: string,
  ): Promise<NotificationSendOptions | undefined> {
    if (!recipients.length) {
      return undefined;
    }
    const { logger, names } = this.options;
    try {
      const nameOf = names ? await names.resolve(refs) : shortNameOf;
      return {
        recipients: {
          type: 'entity',
          entityRef: recipients,
          ...(exclude ? { excludeEntityRef: exclude } : {}),
        },
        payload: { topic: 'model-marketplace', ...build(nameOf) },
      };
    } catch (error) {
      logger.warn(`Could not build a notification: ${error}`);
      return undefined;
    }
  }
}
