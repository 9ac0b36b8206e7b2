import type {
  ListModelRequestsRequest,
  ModelRequest,
} from '@aic/plugin-model-marketplace-common';
import Button from '@material-ui/core/Button';
import Typography from '@material-ui/core/Typography';

/** A decision an approver can take on a request. */
export type RequestDecision = 'approve' | 'reject' | 'revoke';

/**
 * The buttons of one request row. Approvers get Approve and Reject on
 * pending requests and Revoke on granted ones, never on their own requests
 * (separation of duties); requesters can cancel their pending requests.
 */
export const RequestRowActions = (props: {
  request: ModelRequest;
  role?: ListModelRequestsRequest['role'];
  /** The signed-in user's entity ref, once known. */
  me?: string;
  onDecide: (decision: RequestDecision) => void;
  onCancel: () => void;
}) => {
  const { request, role, me, onDecide, onCancel } = props;
  const pending = request.status === 'pending';
  const granted =
    request.status === 'approved' || request.status === 'deployed';
  const own = me !== undefined && request.requester === me;
  return (
    <>
      {pending && role === 'approver' && own && (
        <Typography variant="caption" color="textSecondary">
          Your request: another approver decides it
        </Typography>
      )}
      {pending && role === 'approver' && me && !own && (
        <>
          <Button
            size="small"
            variant="contained"
            color="primary"
            onClick={() => onDecide('approve')}
          >
            Approve
          </Button>
          <Button
            size="small"
            variant="outlined"
            onClick={() => onDecide('reject')}
          >
            Reject
          </Button>
        </>
      )}
      {granted && role === 'approver' && me && !own && (
        <Button
          size="small"
          variant="outlined"
          color="secondary"
          onClick={() => onDecide('revoke')}
        >
          Revoke
        </Button>
      )}
      {pending && role === 'requester' && (
        <Button size="small" onClick={onCancel}>
          Cancel request
        </Button>
      )}
    </>
  );
};
