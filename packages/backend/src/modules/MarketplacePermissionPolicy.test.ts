import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { catalogEntityDeletePermission } from '@backstage/plugin-catalog-common/alpha';
import {
  modelDeploymentReadPermission,
  modelRequestCreatePermission,
  modelRequestDecidePermission,
  modelRequestReadPermission,
} from '@aic/plugin-model-marketplace-common';
import { MarketplacePermissionPolicy } from './MarketplacePermissionPolicy';

const user = {
  identity: {
    type: 'user' as const,
    userEntityRef: 'user:default/jonas.weber',
    ownershipEntityRefs: [
      'user:default/jonas.weber',
      'group:default/ml-platform',
    ],
  },
  info: {
    userEntityRef: 'user:default/jonas.weber',
    ownershipEntityRefs: [
      'user:default/jonas.weber',
      'group:default/ml-platform',
    ],
  },
  token: 'token',
  credentials: {} as any,
};

describe('MarketplacePermissionPolicy', () => {
  const policy = new MarketplacePermissionPolicy();

  it('lets only approvers decide model requests', async () => {
    expect(
      await policy.handle(
        { permission: modelRequestDecidePermission },
        user as any,
      ),
    ).toEqual({
      result: AuthorizeResult.CONDITIONAL,
      pluginId: 'model-marketplace',
      resourceType: 'model-marketplace-request',
      conditions: {
        rule: 'IS_REQUEST_APPROVER',
        resourceType: 'model-marketplace-request',
        params: { claims: user.info.ownershipEntityRefs },
      },
    });
    expect(
      await policy.handle({ permission: modelRequestDecidePermission }),
    ).toEqual({
      result: AuthorizeResult.DENY,
    });
  });

  it.each([
    modelRequestCreatePermission,
    modelRequestReadPermission,
    modelDeploymentReadPermission,
  ])('allows %s', async permission => {
    expect(await policy.handle({ permission }, user as any)).toEqual({
      result: AuthorizeResult.ALLOW,
    });
  });

  it('keeps the catalog delete rule', async () => {
    const decision = await policy.handle(
      { permission: catalogEntityDeletePermission },
      user as any,
    );
    expect(decision).toMatchObject({
      result: AuthorizeResult.CONDITIONAL,
      pluginId: 'catalog',
      conditions: {
        rule: 'IS_ENTITY_OWNER',
        params: { claims: user.info.ownershipEntityRefs },
      },
    });
    expect(
      await policy.handle({ permission: catalogEntityDeletePermission }),
    ).toEqual({
      result: AuthorizeResult.DENY,
    });
  });
});
