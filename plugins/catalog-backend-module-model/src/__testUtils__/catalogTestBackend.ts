import {
  createBackendModule,
  createServiceFactory,
} from '@backstage/backend-plugin-api';
import { mockServices } from '@backstage/backend-test-utils';
import { CATALOG_ERRORS_TOPIC } from '@backstage/plugin-catalog-backend';
import {
  DefaultEventsService,
  EventParams,
  eventsServiceRef,
} from '@backstage/plugin-events-node';

/**
 * The `catalog.rules` of the test backends: the kinds of the examples (and
 * any more a test names).
 */
export function catalogRules(...moreKinds: string[]) {
  return [
    {
      allow: [
        'Group',
        'User',
        'System',
        'Domain',
        'Resource',
        'Model',
        'Location',
        ...moreKinds,
      ],
    },
  ];
}

/**
 * Collects the catalog's processing errors: `errors` maps an entity ref to
 * its error messages (one a line). Add `features` to the test backend: an
 * events service of its own and a catalog module that subscribes to
 * `CATALOG_ERRORS_TOPIC`.
 */
export function catalogErrorCollector() {
  const errors = new Map<string, string>();
  const events = DefaultEventsService.create({
    logger: mockServices.logger.mock(),
  });
  const collector = createBackendModule({
    pluginId: 'catalog',
    moduleId: 'error-collector',
    register(reg) {
      reg.registerInit({
        deps: { events: eventsServiceRef },
        async init({ events: eventsService }) {
          await eventsService.subscribe({
            id: 'test-error-collector',
            topics: [CATALOG_ERRORS_TOPIC],
            async onEvent(params: EventParams) {
              const payload = params.eventPayload as {
                entity: string;
                errors: Error[];
              };
              errors.set(
                payload.entity,
                payload.errors.map(e => e.message).join('\n'),
              );
            },
          });
        },
      });
    },
  });
  return {
    errors,
    features: [
      collector,
      createServiceFactory({
        service: eventsServiceRef,
        deps: {},
        factory: () => events,
      }),
    ],
  };
}
