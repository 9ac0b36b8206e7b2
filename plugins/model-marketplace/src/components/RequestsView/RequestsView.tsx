import { useSearchParams } from 'react-router-dom';
import Typography from '@material-ui/core/Typography';
import { RequestsTable } from '../RequestsTable';

/**
 * "My requests" (role `requester`) or "Approvals" (role `approver`), with
 * status and team filters kept in the URL (`status`, `team`). A link with
 * `?request=<id>` (as notifications send) opens that request, whatever its
 * status.
 */
export const RequestsView = (props: { viewAs: 'requester' | 'approver' }) => {
  const role = props.viewAs;
  const [searchParams, setSearchParams] = useSearchParams();
  const openRequestId = searchParams.get('request') ?? undefined;
  const status =
    searchParams.get('status') ??
    (role === 'approver' && !openRequestId ? 'pending' : 'all');
  const team = searchParams.get('team') ?? 'all';
  return (
    <>
      <Typography variant="body2" color="textSecondary" paragraph>
        {role === 'approver'
          ? 'Requests for models you approve: as the owner team or a named approver.'
          : 'Requests you made for your teams.'}
      </Typography>
      <RequestsTable
        role={role}
        filters={{
          status,
          team,
          onChange: next => {
            const params = new URLSearchParams(searchParams);
            params.set('status', next.status);
            if (next.team === 'all') {
              params.delete('team');
            } else {
              params.set('team', next.team);
            }
            setSearchParams(params, { replace: true });
          },
        }}
        openRequestId={openRequestId}
        emptyText={
          role === 'approver'
            ? 'No requests for the models you approve yet'
            : 'You have not requested any model yet'
        }
      />
    </>
  );
};
