import {
  createServiceFactory,
  type BackendFeature,
} from '@backstage/backend-plugin-api';
import {
  mockCredentials,
  startTestBackend,
} from '@backstage/backend-test-utils';
import type { Entity } from '@backstage/catalog-model';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { notificationService } from '@backstage/plugin-notifications-node';
import { modelMarketplacePlugin } from '../plugin';
import { loadExampleEntities } from './exampleEntities';

/** Authorization headers of the example users (examples/org.yaml) and a service. */
export const users = {
  guest: mockCredentials.user.header('user:default/guest'), // team-assistants
  marcus: mockCredentials.user.header('user:default/marcus.bell'), // team-assistants
  jonas: mockCredentials.user.header('user:default/jonas.weber'), // ml-platform
  amara: mockCredentials.user.header('user:default/amara.nwosu'), // ml-platform
  helen: mockCredentials.user.header('user:default/helen.park'), // ai-governance
  priya: mockCredentials.user.header('user:default/priya.raman'), // team-vision
  daniel: mockCredentials.user.header('user:default/daniel.okafor'), // team-search
  service: mockCredentials.service.header(),
};

/**
 * The real marketplace plugin in a test backend, on the example catalog
 * (plus `entities`), with a notification service whose `send` the test
 * reads, and any further features (a database, a permission policy).
 */
export async function startMarketplace(
  options: {
    entities?: Entity[];
    features?: BackendFeature[];
  } = {},
) {
  const send = jest.fn(async (_options: any) => {});
  const { server } = await startTestBackend({
    features: [
      modelMarketplacePlugin,
      catalogServiceMock.factory({
        entities: [...loadExampleEntities(), ...(options.entities ?? [])],
      }),
      createServiceFactory({
        service: notificationService,
        deps: {},
        factory: () => ({ send }),
      }),
      ...(options.features ?? []),
    ],
  });
  return { server, send };
}
