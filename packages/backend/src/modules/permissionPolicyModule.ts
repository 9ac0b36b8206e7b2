import { createBackendModule } from '@backstage/backend-plugin-api';
import { policyExtensionPoint } from '@backstage/plugin-permission-node/alpha';
import { MarketplacePermissionPolicy } from './MarketplacePermissionPolicy';

/** Installs {@link MarketplacePermissionPolicy} as the portal's policy. */
export default createBackendModule({
  pluginId: 'permission',
  moduleId: 'marketplace-policy',
  register(reg) {
    reg.registerInit({
      deps: { policy: policyExtensionPoint },
      async init({ policy }) {
        policy.setPolicy(new MarketplacePermissionPolicy());
      },
    });
  },
});
