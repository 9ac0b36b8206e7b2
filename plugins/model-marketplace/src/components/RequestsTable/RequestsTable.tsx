import { Fragment, useCallback, useEffect, useState } from 'react';
import { Link, Progress, ResponseErrorPanel } from '@backstage/core-components';
import {
  alertApiRef,
  identityApiRef,
  useApi,
} from '@backstage/core-plugin-api';
import { useEntityRefLink } from '@backstage/plugin-catalog-react';
import Button from '@material-ui/core/Button';
import IconButton from '@material-ui/core/IconButton';
import Paper from '@material-ui/core/Paper';
import Table from '@material-ui/core/Table';
import TableBody from '@material-ui/core/TableBody';
import TableCell from '@material-ui/core/TableCell';
import TableHead from '@material-ui/core/TableHead';
import TableRow from '@material-ui/core/TableRow';
import Collapse from '@material-ui/core/Collapse';
import Typography from '@material-ui/core/Typography';
import KeyboardArrowDownIcon from '@material-ui/icons/KeyboardArrowDown';
import KeyboardArrowUpIcon from '@material-ui/icons/KeyboardArrowUp';
import { makeStyles } from '@material-ui/core/styles';
import type {
  ListModelRequestsRequest,
  ModelRequest,
  ModelRequestStatus,
} from '@aic/plugin-model-marketplace-common';
import { ResponseError } from '@backstage/errors';
import { modelMarketplaceApiRef } from '../../api';
import { shortRef } from '../../util/refs';
import { RequestStatusChip } from '../RequestStatusChip';
import { RequestTimeline } from '../RequestTimeline';
import { DecisionDialog } from '../DecisionDialog';

const useStyles = makeStyles(theme => ({
  paper: { overflowX: 'auto' },
  purpose: {
    maxWidth: 320,
    overflow: 'hidden',
    textOverflow: 'ellipsis',
    whiteSpace: 'nowrap',
  },
  actions: {
    whiteSpace: 'nowrap',
    '& > * + *': { marginLeft: theme.spacing(1) },
  },
  details: {
    padding: theme.spacing(2, 4),
    backgroundColor: theme.palette.background.default,
  },
}));

export type RequestsTableProps = {
  /** `requester`: the user's requests; `approver`: those they may decide. */
  role?: ListModelRequestsRequest['role'];
  /** Only the requests for this model. */
  model?: string;
  /** Only these states. */
  status?: ModelRequestStatus[];
  /** Hide the model column (on a model's own page). */
  hideModel?: boolean;
  /** What to say when there is nothing. */
  emptyText?: string;
  /** Changes when the caller wants a reload (after creating a request). */
  refreshKey?: unknown;
};

/**
 * A list of requests with status chips, each expandable to its timeline.
 * Approvers get Approve and Reject on pending requests, except on requests
 * they made themselves (separation of duties: another approver decides
 * those, and the backend refuses them with 403); requesters can cancel
 * their pending requests.
 */
export const RequestsTable = (props: RequestsTableProps) => {
  const { role, model, status, hideModel, emptyText, refreshKey } = props;
  const classes = useStyles();
  const api = useApi(modelMarketplaceApiRef);
  const alertApi = useApi(alertApiRef);
  const identityApi = useApi(identityApiRef);
  const entityLink = useEntityRefLink();
  const [items, setItems] = useState<ModelRequest[]>();
  const [error, setError] = useState<Error>();
  const [reload, setReload] = useState(0);
  const [expanded, setExpanded] = useState<string>();
  const [deciding, setDeciding] = useState<{
    request: ModelRequest;
    decision: 'approve' | 'reject';
  }>();
  const statusKey = status?.join(',');
  // Who is looking: decision buttons appear only once this is known.
  const [me, setMe] = useState<string>();
  useEffect(() => {
    let cancelled = false;
    identityApi
      .getBackstageIdentity()
      .then(identity => !cancelled && setMe(identity.userEntityRef))
      .catch(() => !cancelled && setMe(undefined));
    return () => {
      cancelled = true;
    };
  }, [identityApi]);

  useEffect(() => {
    let cancelled = false;
    setError(undefined);
    api
      .listRequests({
        role,
        model,
        status: statusKey
          ? (statusKey.split(',') as ModelRequestStatus[])
          : undefined,
      })
      .then(response => !cancelled && setItems(response.items))
      .catch(e => !cancelled && setError(e));
    return () => {
      cancelled = true;
    };
  }, [api, role, model, statusKey, reload, refreshKey]);

  const refresh = useCallback(() => setReload(r => r + 1), []);

  const decide = async (comment: string) => {
    if (!deciding) {
      return;
    }
    try {
      await api.decideRequest(deciding.request.id, {
        decision: deciding.decision,
        ...(comment ? { comment } : {}),
      });
      alertApi.post({
        message: `Request ${
          deciding.decision === 'approve' ? 'approved' : 'rejected'
        }`,
        severity: 'success',
        display: 'transient',
      });
      setDeciding(undefined);
      refresh();
    } catch (e) {
      if (e instanceof ResponseError && e.statusCode === 409) {
        setDeciding(undefined);
        alertApi.post({
          message: 'Someone else decided this request first.',
          severity: 'warning',
          display: 'transient',
        });
        refresh();
        return;
      }
      throw e;
    }
  };

  const cancel = async (request: ModelRequest) => {
    try {
      await api.cancelRequest(request.id);
      refresh();
    } catch (e) {
      alertApi.post({
        message: `Could not cancel the request: ${(e as Error).message}`,
        severity: 'error',
      });
    }
  };

  if (error) {
    return <ResponseErrorPanel error={error} />;
  }
  if (!items) {
    return <Progress />;
  }
  if (items.length === 0) {
    return (
      <Typography variant="body2" color="textSecondary">
        {emptyText ?? 'No requests yet'}
      </Typography>
    );
  }

  const columns = hideModel ? 7 : 8;
  return (
    <>
      <Paper variant="outlined" className={classes.paper}>
        <Table size="small" aria-label="Requests">
          <TableHead>
            <TableRow>
              <TableCell padding="checkbox" />
              {!hideModel && <TableCell>Model</TableCell>}
              <TableCell>Team</TableCell>
              <TableCell>Version</TableCell>
              <TableCell>Purpose</TableCell>
              <TableCell>Requested</TableCell>
              <TableCell>Status</TableCell>
              <TableCell align="right">Actions</TableCell>
            </TableRow>
          </TableHead>
          <TableBody>
            {items.map(request => {
              const open = expanded === request.id;
              const pending = request.status === 'pending';
              const own = me !== undefined && request.requester === me;
              return (
                <Fragment key={request.id}>
                  <TableRow data-testid={`request-${request.id}`}>
                    <TableCell padding="checkbox">
                      <IconButton
                        size="small"
                        aria-label={open ? 'Hide timeline' : 'Show timeline'}
                        onClick={() =>
                          setExpanded(open ? undefined : request.id)
                        }
                      >
                        {open ? (
                          <KeyboardArrowUpIcon />
                        ) : (
                          <KeyboardArrowDownIcon />
                        )}
                      </IconButton>
                    </TableCell>
                    {!hideModel && (
                      <TableCell>
                        <Link to={entityLink(request.model)}>
                          {shortRef(request.model, 'model')}
                        </Link>
                      </TableCell>
                    )}
                    <TableCell>{shortRef(request.team)}</TableCell>
                    <TableCell>{request.version ?? 'default'}</TableCell>
                    <TableCell>
                      <Typography
                        variant="body2"
                        className={classes.purpose}
                        title={request.purpose}
                      >
                        {request.purpose}
                      </Typography>
                    </TableCell>
                    <TableCell>
                      <Typography variant="body2">
                        {shortRef(request.requester, 'user')}
                      </Typography>
                      <Typography variant="caption" color="textSecondary">
                        {new Date(request.createdAt).toLocaleDateString()}
                      </Typography>
                    </TableCell>
                    <TableCell>
                      <RequestStatusChip status={request.status} />
                    </TableCell>
                    <TableCell align="right" className={classes.actions}>
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
                            onClick={() =>
                              setDeciding({ request, decision: 'approve' })
                            }
                          >
                            Approve
                          </Button>
                          <Button
                            size="small"
                            variant="outlined"
                            onClick={() =>
                              setDeciding({ request, decision: 'reject' })
                            }
                          >
                            Reject
                          </Button>
                        </>
                      )}
                      {pending && role === 'requester' && (
                        <Button size="small" onClick={() => cancel(request)}>
                          Cancel request
                        </Button>
                      )}
                    </TableCell>
                  </TableRow>
                  <TableRow>
                    <TableCell
                      colSpan={columns}
                      style={{ padding: 0, borderBottom: open ? undefined : 0 }}
                    >
                      <Collapse in={open} unmountOnExit>
                        <div className={classes.details}>
                          {request.decisionComment && (
                            <Typography variant="body2" paragraph>
                              Decision by{' '}
                              {shortRef(request.decidedBy ?? '', 'user')}: “
                              {request.decisionComment}”
                            </Typography>
                          )}
                          <RequestTimeline requestId={request.id} />
                        </div>
                      </Collapse>
                    </TableCell>
                  </TableRow>
                </Fragment>
              );
            })}
          </TableBody>
        </Table>
      </Paper>
      <DecisionDialog
        request={deciding?.request}
        decision={deciding?.decision ?? 'approve'}
        onCancel={() => setDeciding(undefined)}
        onConfirm={decide}
      />
    </>
  );
};
