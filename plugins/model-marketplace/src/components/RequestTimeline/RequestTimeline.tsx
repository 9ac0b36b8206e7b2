import useAsync from 'react-use/esm/useAsync';
import { Progress, ResponseErrorPanel } from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import Typography from '@material-ui/core/Typography';
import { makeStyles } from '@material-ui/core/styles';
import { modelMarketplaceApiRef } from '../../api';
import { EntityDisplayName } from '@backstage/plugin-catalog-react';
import { RequestStatusChip } from '../RequestStatusChip';

const useStyles = makeStyles(theme => ({
  list: {
    listStyle: 'none',
    margin: 0,
    padding: 0,
    borderLeft: `2px solid ${theme.palette.divider}`,
  },
  entry: {
    position: 'relative',
    padding: theme.spacing(0.5, 0, 1.5, 2),
    '&::before': {
      content: '""',
      position: 'absolute',
      left: -6,
      top: 10,
      width: 10,
      height: 10,
      borderRadius: '50%',
      backgroundColor: theme.palette.primary.main,
    },
  },
  line: {
    display: 'flex',
    alignItems: 'center',
    flexWrap: 'wrap',
    gap: theme.spacing(1),
  },
  comment: {
    fontStyle: 'italic',
    marginTop: theme.spacing(0.5),
  },
}));

/** A non-user actor (a service or plugin) in words. */
function actorName(actor: string): string {
  if (actor.startsWith('plugin:')) {
    return `the ${actor.slice('plugin:'.length).split('/')[0]} service`;
  }
  return actor;
}

/**
 * Who did what to a request, and when, oldest first. The timeline is read
 * again whenever `updatedAt` changes, so a decision or revocation made while
 * it is open shows as its own entry (who, when, why), not only in the
 * request's banner.
 */
export const RequestTimeline = (props: {
  requestId: string;
  /** The request's `updatedAt` as last listed. */
  updatedAt?: string;
}) => {
  const classes = useStyles();
  const api = useApi(modelMarketplaceApiRef);
  const { value, loading, error } = useAsync(
    () => api.getRequest(props.requestId),
    [api, props.requestId, props.updatedAt],
  );
  // On a re-read the previous entries stay until the new ones arrive.
  if (loading && !value) {
    return <Progress />;
  }
  if (error) {
    return <ResponseErrorPanel error={error} />;
  }
  return (
    <ol className={classes.list} aria-label="Timeline">
      {value?.timeline.map((entry, index) => (
        <li key={index} className={classes.entry}>
          <div className={classes.line}>
            <Typography variant="body2">
              <strong>{entry.action}</strong> by{' '}
              {entry.actor.startsWith('user:') ? (
                <EntityDisplayName entityRef={entry.actor} hideIcon />
              ) : (
                actorName(entry.actor)
              )}
            </Typography>
            <RequestStatusChip status={entry.toStatus} />
            <Typography variant="caption" color="textSecondary">
              {new Date(entry.at).toLocaleString()}
            </Typography>
          </div>
          {entry.comment && (
            <Typography variant="body2" className={classes.comment}>
              “{entry.comment}”
            </Typography>
          )}
        </li>
      ))}
    </ol>
  );
};
