import { useState } from 'react';
import Button from '@material-ui/core/Button';
import Dialog from '@material-ui/core/Dialog';
import DialogActions from '@material-ui/core/DialogActions';
import DialogContent from '@material-ui/core/DialogContent';
import DialogContentText from '@material-ui/core/DialogContentText';
import DialogTitle from '@material-ui/core/DialogTitle';
import TextField from '@material-ui/core/TextField';
import Alert from '@material-ui/lab/Alert';
import type { ModelRequest } from '@aic/plugin-model-marketplace-common';
import { shortRef } from '../../util/refs';

const TITLES = {
  approve: 'Approve request',
  reject: 'Reject request',
  revoke: 'Revoke access',
};

/**
 * Confirms an approval, a rejection or the revocation of an approved
 * access, and takes the comment that goes on the request's timeline. A
 * rejection and a revocation need a reason.
 */
export const DecisionDialog = (props: {
  request?: ModelRequest;
  decision: 'approve' | 'reject' | 'revoke';
  onCancel: () => void;
  onConfirm: (comment: string) => Promise<void>;
}) => {
  const { request, decision, onCancel, onConfirm } = props;
  const [comment, setComment] = useState('');
  const [touched, setTouched] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<Error>();
  const approve = decision === 'approve';
  const commentError =
    touched && !approve && !comment.trim()
      ? {
          approve: '',
          reject: 'Tell the requester why the request is rejected',
          revoke: 'Tell the team why the access is revoked',
        }[decision]
      : undefined;

  const confirm = async () => {
    setTouched(true);
    if (!approve && !comment.trim()) {
      return;
    }
    setBusy(true);
    setError(undefined);
    try {
      await onConfirm(comment.trim());
      setComment('');
      setTouched(false);
    } catch (e) {
      setError(e as Error);
    } finally {
      setBusy(false);
    }
  };

  return (
    <Dialog
      open={!!request}
      onClose={onCancel}
      fullWidth
      maxWidth="sm"
      aria-labelledby="decision-title"
    >
      <DialogTitle id="decision-title">{TITLES[decision]}</DialogTitle>
      <DialogContent>
        {request && (
          <DialogContentText>
            {shortRef(request.team)} asks for {shortRef(request.model, 'model')}
            {request.version ? ` ${request.version}` : ''}: “{request.purpose}”
          </DialogContentText>
        )}
        {decision === 'revoke' && (
          <Alert severity="warning" style={{ marginBottom: 16 }}>
            The team and the requester are notified. Running deployments keep
            running, but new deploys under this request are refused.
          </Alert>
        )}
        <TextField
          fullWidth
          multiline
          minRows={2}
          variant="outlined"
          id="model-request-decision-comment"
          label={approve ? 'Comment (optional)' : 'Reason'}
          required={!approve}
          value={comment}
          onChange={e => setComment(e.target.value)}
          error={!!commentError}
          helperText={
            commentError ?? 'Shown to the requester and kept in the timeline'
          }
          inputProps={{ maxLength: 2000 }}
        />
        {error && (
          <Alert severity="error" role="alert" style={{ marginTop: 16 }}>
            {error.message}
          </Alert>
        )}
      </DialogContent>
      <DialogActions>
        <Button onClick={onCancel}>Cancel</Button>
        <Button
          onClick={confirm}
          disabled={busy}
          variant="contained"
          color={approve ? 'primary' : 'secondary'}
        >
          {TITLES[decision].split(' ')[0]}
        </Button>
      </DialogActions>
    </Dialog>
  );
};
