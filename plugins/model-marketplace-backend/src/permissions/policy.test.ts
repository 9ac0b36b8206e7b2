import {
  modelDeploymentReadPermission,
  modelRequestCreatePermission,
  modelRequestDecidePermission,
  modelRequestReadPermission,
} from '@aic/plugin-model-marketplace-common';
import {
  AuthorizeResult,
  createPermission,
} from '@backstage/plugin-permission-common';
import type { PolicyQueryUser } from '@backstage/plugin-permission-node';
import { modelMarketplacePolicyDecision } from './policy';

const claims = ['user:default/jonas.weber', 'group:default/ml-platform'];
const user = {
  info: { userEntityRef: claims[0], ownershipEntityRefs: claims },
} as PolicyQueryUser;

describe('modelMarketplacePolicyDecision', () => {
  it('lets only the approvers of a request decide it', () => {
    expect(
      modelMarketplacePolicyDecision(
        { permission: modelRequestDecidePermission },
        user,
      ),
    ).toEqual({
      result: AuthorizeResult.CONDITIONAL,
      pluginId: 'model-marketplace',
      resourceType: 'model-marketplace-request',
      conditions: {
        rule: 'IS_REQUEST_APPROVER',
        resourceType: 'model-marketplace-request',
        params: { claims },
      },
    });
    expect(
      modelMarketplacePolicyDecision({
        permission: modelRequestDecidePermission,
      }),
    ).toEqual({ result: AuthorizeResult.DENY });
  });

  it.each([
    modelRequestCreatePermission,
    modelRequestReadPermission,
    modelDeploymentReadPermission,
  ])('allows %s', permission => {
    expect(modelMarketplacePolicyDecision({ permission }, user)).toEqual({
      result: AuthorizeResult.ALLOW,
    });
  });

  it('leaves other permissions to the rest of the policy', () => {
    const other = createPermission({
      name: 'catalog.entity.delete',
      attributes: { action: 'delete' },
    });
    expect(
      modelMarketplacePolicyDecision({ permission: other }, user),
    ).toBeUndefined();
  });
});
