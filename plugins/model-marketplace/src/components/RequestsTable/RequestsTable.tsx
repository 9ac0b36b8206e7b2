import { Fragment, useCallback, useEffect, useRef, useState } from 'react';
import { Link, Progress, ResponseErrorPanel } from '@backstage/core-components';
import {
  alertApiRef,
  identityApiRef,
  useApi,
} from '@backstage/core-plugin-api';
import {
  EntityDisplayName,
  useEntityRefLink,
} from '@backstage/plugin-catalog-react';
import IconButton from '@material-ui/core/IconButton';
import Paper from '@material-ui/core/Paper';
import TableBody from '@material-ui/core/TableBody';
import TableCell from '@material-ui/core/TableCell';
import { WordSafeTable, WordSafeTableHead } from '../WordSafeTableHead';
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
import { RequestDetails } from './RequestDetails';
import { RequestRowActions, type RequestDecision } from './RequestRowActions';
import {
  RequestsFilterBar,
  type RequestsTableFilters,
  filterRequests,
} from './RequestsFilterBar';
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
  highlighted: { backgroundColor: theme.palette.action.selected },
}));

export type { RequestsTableFilters };

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
  /**
   * Show status and team filters with counts. The table then loads every
   * request of its role and filters in the browser; `status` is ignored.
   */
  filters?: RequestsTableFilters;
  /** Open this request's timeline and scroll to it (a notification's link). */
  openRequestId?: string;
};

/**
 * A list of requests with status chips, each expandable to its timeline.
 * Approvers get Approve and Reject on pending requests, except on requests
 * they made themselves (separation of duties: another approver decides
 * those, and the backend refuses them with 403); requesters can cancel
 * their pending requests.
 */
export const RequestsTable = (props: RequestsTableProps) => {
  const {
    role,
    model,
    hideModel,
    emptyText,
    refreshKey,
    filters,
    openRequestId,
  } = props;
  const status = filters ? undefined : props.status;
  const classes = useStyles();
  const api = useApi(modelMarketplaceApiRef);
  const alertApi = useApi(alertApiRef);
  const identityApi = useApi(identityApiRef);
  const entityLink = useEntityRefLink();
  const [items, setItems] = useState<ModelRequest[]>();
  const [error, setError] = useState<Error>();
  const [reload, setReload] = useState(0);
  const [expanded, setExpanded] = useState<string | undefined>(openRequestId);
  const opened = useRef<HTMLTableRowElement | null>(null);
  useEffect(() => {
    if (openRequestId) {
      setExpanded(openRequestId);
    }
  }, [openRequestId]);
  const hasItems = items !== undefined;
  useEffect(() => {
    if (hasItems && openRequestId) {
      opened.current?.scrollIntoView?.({ block: 'center' });
    }
  }, [hasItems, openRequestId]);
  const [deciding, setDeciding] = useState<{
    request: ModelRequest;
    decision: RequestDecision;
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
      if (deciding.decision === 'revoke') {
        await api.revokeRequest(deciding.request.id, { reason: comment });
      } else {
        await api.decideRequest(deciding.request.id, {
          decision: deciding.decision,
          ...(comment ? { comment } : {}),
        });
      }
      alertApi.post({
        message: {
          approve: 'Request approved',
          reject: 'Request rejected',
          revoke: 'Access revoked; the team is notified',
        }[deciding.decision],
        severity: 'success',
        display: 'transient',
      });
      setDeciding(undefined);
      refresh();
    } catch (e) {
      if (e instanceof ResponseError && e.statusCode === 409) {
        setDeciding(undefined);
        alertApi.post({
          message: 'Someone else changed this request first.',
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

  const filtered = filters ? filterRequests(items, filters) : undefined;
  const shown = filtered?.shown ?? items;
  const filterBar =
    filters && filtered ? (
      <RequestsFilterBar filters={filters} filtered={filtered} />
    ) : null;
  if (shown.length === 0) {
    const what =
      filters && filters.status !== 'all' ? `${filters.status} ` : '';
    const team =
      filters && filters.team !== 'all' ? ` for ${shortRef(filters.team)}` : '';
    return (
      <>
        {filterBar}
        <Typography variant="body2" color="textSecondary">
          {`No ${what}requests${team}. ${items.length} request${
            items.length === 1 ? '' : 's'
          } in all.`}
        </Typography>
      </>
    );
  }

  const columns = hideModel ? 7 : 8;
  return (
    <>
      {filterBar}
      <Paper variant="outlined" className={classes.paper}>
        <WordSafeTable size="small" aria-label="Requests">
          <WordSafeTableHead>
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
          </WordSafeTableHead>
          <TableBody>
            {shown.map(request => {
              const open = expanded === request.id;
              return (
                <Fragment key={request.id}>
                  <TableRow
                    data-testid={`request-${request.id}`}
                    ref={request.id === openRequestId ? opened : undefined}
                    className={
                      request.id === openRequestId
                        ? classes.highlighted
                        : undefined
                    }
                    aria-current={
                      request.id === openRequestId ? 'true' : undefined
                    }
                  >
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
                          <EntityDisplayName
                            entityRef={request.model}
                            hideIcon
                            disableTooltip
                          />
                        </Link>
                      </TableCell>
                    )}
                    <TableCell>
                      <EntityDisplayName entityRef={request.team} hideIcon />
                    </TableCell>
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
                        <EntityDisplayName
                          entityRef={request.requester}
                          hideIcon
                        />
                      </Typography>
                      <Typography variant="caption" color="textSecondary">
                        {new Date(request.createdAt).toLocaleDateString()}
                      </Typography>
                    </TableCell>
                    <TableCell>
                      <RequestStatusChip status={request.status} />
                    </TableCell>
                    <TableCell align="right" className={classes.actions}>
                      <RequestRowActions
                        request={request}
                        role={role}
                        me={me}
                        onDecide={decision =>
                          setDeciding({ request, decision })
                        }
                        onCancel={() => cancel(request)}
                      />
                    </TableCell>
                  </TableRow>
                  <TableRow>
                    <TableCell
                      colSpan={columns}
                      style={{ padding: 0, borderBottom: open ? undefined : 0 }}
                    >
                      <Collapse in={open} unmountOnExit>
                        <div className={classes.details}>
                          <RequestDetails request={request} />
                        </div>
                      </Collapse>
                    </TableCell>
                  </TableRow>
                </Fragment>
              );
            })}
          </TableBody>
        </WordSafeTable>
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
