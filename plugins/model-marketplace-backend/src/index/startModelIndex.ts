import {
  LoggerService,
  RootConfigService,
  SchedulerService,
} from '@backstage/backend-plugin-api';
import { readDurationFromConfig } from '@backstage/config';
import { EventsService } from '@backstage/plugin-events-node';
import { HumanDuration } from '@backstage/types';
import {
  ModelChangedEvent,
  MODEL_CHANGED_TOPIC,
} from '@aic/plugin-model-marketplace-common';
import { DatabaseModelChangeFeed } from './DatabaseModelChangeFeed';
import { ModelChangeFollower } from './ModelChangeFollower';
import { ModelIndex } from './ModelIndex';

function duration(
  config: RootConfigService,
  key: string,
  fallback: HumanDuration,
): HumanDuration {
  const settings = config.getOptionalConfig('modelMarketplace.index');
  return settings?.has(key)
    ? readDurationFromConfig(settings, { key })
    : fallback;
}

function isModelChangedEvent(payload: unknown): payload is ModelChangedEvent {
  const p = payload as Partial<ModelChangedEvent> | undefined;
  return typeof p?.entityRef === 'string' && typeof p?.fingerprint === 'string';
}

/**
 * Runs `build` until it succeeds, waiting `retryMs` after each failure (the
 * catalog answers 503 until it has started, which on a busy machine can be
 * after this plugin). Until the first full build succeeds the index knows no
 * count of the catalog's models, so deletions would go unnoticed until the
 * next scheduled refresh, up to 10 minutes later. Resolves with the number
 * of attempts.
 */
export async function buildUntilDone(
  build: () => Promise<unknown>,
  options: { logger: LoggerService; retryMs?: number },
): Promise<number> {
  const retryMs = options.retryMs ?? 5000;
  for (let attempt = 1; ; attempt++) {
    try {
      await build();
      return attempt;
    } catch (error) {
      options.logger.warn(
        `Could not build the model index (attempt ${attempt}), trying again in ${retryMs} ms: ${error}`,
      );
      await new Promise(resolve => setTimeout(resolve, retryMs).unref?.());
    }
  }
}

/**
 * Fills the browse index once every plugin is up and keeps it in step with
 * the catalog on this replica: changed models arrive through the events
 * service (from the catalog module, in this process) and the shared change
 * feed (from the other replicas); a full refresh every
 * `modelMarketplace.index.refreshInterval` (10 minutes) is the safety net
 * (skipped while a flood of announcements is followed).
 * `modelMarketplace.index.changesInterval` (1 s) is how often the feed and
 * the catalog's count of models are read.
 */
export async function startModelIndex(options: {
  index: ModelIndex;
  follower: ModelChangeFollower;
  feed: DatabaseModelChangeFeed;
  events: EventsService;
  scheduler: SchedulerService;
  config: RootConfigService;
  logger: LoggerService;
  /** Runs after each full refresh (the popularity counts). */
  afterRefresh?: () => Promise<void>;
  /** Runs after each successful poll of the change feed. */
  afterPoll?: () => void;
}) {
  const { index, follower, feed, scheduler, config, logger } = options;
  const refreshInterval = duration(config, 'refreshInterval', { minutes: 10 });
  const changesInterval = duration(config, 'changesInterval', { seconds: 1 });

  await options.events.subscribe({
    id: 'model-index',
    topics: [MODEL_CHANGED_TOPIC],
    onEvent: async ({ eventPayload }) => {
      if (isModelChangedEvent(eventPayload)) {
        follower.announcedHere(eventPayload);
      }
    },
  });

  const refresh = async () => {
    await index.refresh();
    await options.afterRefresh?.();
  };
  await follower.start();
  // in the background: it retries until it succeeds and never rejects
  void buildUntilDone(refresh, { logger });
  // every replica holds its own index: these tasks are local
  await scheduler.scheduleTask({
    id: 'model-marketplace-index-refresh',
    scope: 'local',
    frequency: refreshInterval,
    initialDelay: refreshInterval,
    timeout: { minutes: 5 },
    fn: async () => {
      // while a flood of announcements is followed, a listing would only
      // repeat what the follower fetches, at the cost of reading every model
      // again; once the flood is followed, the count check catches any
      // announcement that was lost
      if (follower.flooded) {
        logger.debug(
          'Model index: following a flood of changes; the full refresh waits',
        );
      } else {
        await refresh();
      }
      await feed.prune(60 * 60_000);
    },
  });
  await scheduler.scheduleTask({
    id: 'model-marketplace-index-changes',
    scope: 'local',
    frequency: changesInterval,
    initialDelay: changesInterval,
    timeout: { minutes: 1 },
    fn: async () => {
      await follower.poll();
      options.afterPoll?.();
    },
  });
}
