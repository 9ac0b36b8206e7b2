import { useSearchParams } from 'react-router-dom';
import ToggleButton from '@material-ui/lab/ToggleButton';
import ToggleButtonGroup from '@material-ui/lab/ToggleButtonGroup';
import Typography from '@material-ui/core/Typography';
import { RequestsTable } from '../RequestsTable';

function emptyText(role: 'requester' | 'approver', show: string) {
  if (role === 'requester') {
    return 'You have not requested any model yet';
  }
  return show === 'pending'
    ? 'Nothing waits for your decision'
    : 'No requests for the models you approve';
}

/**
 * "My requests" (role `requester`) or "Approvals" (role `approver`), with
 * a pending / all switch kept in the URL.
 */
export const RequestsView = (props: { viewAs: 'requester' | 'approver' }) => {
  const role = props.viewAs;
  const [searchParams, setSearchParams] = useSearchParams();
  const show =
    searchParams.get('show') ?? (role === 'approver' ? 'pending' : 'all');
  return (
    <>
      <div
        style={{
          display: 'flex',
          alignItems: 'center',
          justifyContent: 'space-between',
          flexWrap: 'wrap',
          gap: 16,
          marginBottom: 16,
        }}
      >
        <Typography variant="body2" color="textSecondary">
          {role === 'approver'
            ? 'Requests for models you approve: as the owner team or a named approver.'
            : 'Requests you made for your teams.'}
        </Typography>
        <ToggleButtonGroup
          size="small"
          exclusive
          value={show}
          onChange={(_e, value) =>
            value && setSearchParams({ show: value }, { replace: true })
          }
          aria-label="Which requests"
        >
          <ToggleButton value="pending">Pending</ToggleButton>
          <ToggleButton value="all">All</ToggleButton>
        </ToggleButtonGroup>
      </div>
      <RequestsTable
        role={role}
        status={show === 'pending' ? ['pending'] : undefined}
        emptyText={emptyText(role, show)}
      />
    </>
  );
};
