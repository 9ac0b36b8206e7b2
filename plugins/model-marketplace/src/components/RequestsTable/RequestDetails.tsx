import { EntityDisplayName } from '@backstage/plugin-catalog-react';
import Typography from '@material-ui/core/Typography';
import type { ModelRequest } from '@aic/plugin-model-marketplace-common';
import { RequestTimeline } from '../RequestTimeline';

const Who = (props: { entityRef?: string; fallback: string }) =>
  props.entityRef ? (
    <EntityDisplayName entityRef={props.entityRef} hideIcon />
  ) : (
    <>{props.fallback}</>
  );

function answerText(value: string | boolean): string {
  if (typeof value === 'boolean') {
    return value ? 'yes' : 'no';
  }
  return value;
}

/**
 * What an expanded request shows: the decision and revocation with their
 * reasons, the answers to the model's access questions, and the timeline.
 */
export const RequestDetails = (props: { request: ModelRequest }) => {
  const { request } = props;
  const answers = Object.entries(request.answers ?? {});
  return (
    <>
      {request.decisionComment && (
        <Typography variant="body2" paragraph>
          Decision by{' '}
          <Who entityRef={request.decidedBy} fallback="an approver" />: “
          {request.decisionComment}”
        </Typography>
      )}
      {request.status === 'revoked' && (
        <Typography variant="body2" paragraph color="error">
          Access revoked by{' '}
          <Who entityRef={request.revokedBy} fallback="an approver" />
          {request.revokedAt
            ? ` on ${new Date(request.revokedAt).toLocaleDateString()}`
            : ''}
          {request.revokeReason ? `: “${request.revokeReason}”` : ''}
        </Typography>
      )}
      {answers.length > 0 && (
        <dl aria-label="Answers" style={{ margin: '0 0 16px' }}>
          {answers.map(([id, value]) => (
            <div key={id} style={{ display: 'flex', gap: 8 }}>
              <Typography component="dt" variant="body2" color="textSecondary">
                {id}:
              </Typography>
              <Typography component="dd" variant="body2" style={{ margin: 0 }}>
                {answerText(value)}
              </Typography>
            </div>
          ))}
        </dl>
      )}
      <RequestTimeline requestId={request.id} updatedAt={request.updatedAt} />
    </>
  );
};
