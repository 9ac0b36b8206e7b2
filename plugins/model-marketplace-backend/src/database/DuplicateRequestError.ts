import { ConflictError } from '@backstage/errors';
import type { ModelRequest } from '@aic/plugin-model-marketplace-common';

/**
 * A team asked again for a model and version while an earlier request of it
 * is still pending, approved or deployed. Answered with 409; the error body
 * carries `existingRequestId` and `existingRequestStatus` next to the
 * message.
 */
export class DuplicateRequestError extends ConflictError {
  readonly existingRequestId: string;
  readonly existingRequestStatus: string;

  constructor(existing: ModelRequest) {
    super(
      `${existing.team} already has request ${existing.id} for ${
        existing.model
      }${existing.version ? ` ${existing.version}` : ' (default version)'}, ${
        existing.status
      }; use that request instead of filing another`,
    );
    this.existingRequestId = existing.id;
    this.existingRequestStatus = existing.status;
  }
}
