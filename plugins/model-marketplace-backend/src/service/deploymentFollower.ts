import type {
  DeploymentRecord,
  ModelRequest,
} from '@aic/plugin-model-marketplace-common';
import { ConflictError } from '@backstage/errors';
import type { Knex } from 'knex';
import type { RequestStore } from '../database/RequestStore';

/**
 * Moves the request of a deployment along when the deployment changes, in
 * the transaction of the inventory write: `approved` → `deployed` when a
 * row becomes deployed, `deployed` → `retired` on undeploy. Used by the
 * REST routes and by the reconciler, so a deploy finished by either moves
 * the request the same way.
 */
export function deploymentFollower(requests: RequestStore) {
  return async function followDeployment(
    trx: Knex.Transaction,
    record: DeploymentRecord,
    actor: string,
    previous?: DeploymentRecord,
  ): Promise<ModelRequest | undefined> {
    if (!record.requestId) {
      return undefined;
    }
    const move = async (
      from: 'approved' | 'deployed',
      to: 'deployed' | 'retired',
    ) => {
      try {
        return await requests.transition(
          record.requestId!,
          {
            from: [from],
            to,
            action: to,
            actor,
            comment: `Deployment ${record.id} in ${record.cluster}/${record.namespace}`,
          },
          { trx },
        );
      } catch (error) {
        if (error instanceof ConflictError) {
          return undefined; // already moved by another deployment of the request
        }
        throw error;
      }
    };
    if (record.status === 'deployed' && previous?.status !== 'deployed') {
      return move('approved', 'deployed');
    }
    if (
      record.status === 'undeployed' &&
      previous &&
      previous.status !== 'undeployed'
    ) {
      return move('deployed', 'retired');
    }
    return undefined;
  };
}
