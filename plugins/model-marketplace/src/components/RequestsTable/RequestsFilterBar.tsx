import {
  MODEL_REQUEST_STATUSES,
  type ModelRequest,
} from '@aic/plugin-model-marketplace-common';
import FormControl from '@material-ui/core/FormControl';
import InputLabel from '@material-ui/core/InputLabel';
import NativeSelect from '@material-ui/core/NativeSelect';
import { makeStyles } from '@material-ui/core/styles';
import ToggleButton from '@material-ui/lab/ToggleButton';
import ToggleButtonGroup from '@material-ui/lab/ToggleButtonGroup';
import { shortRef } from '../../util/refs';

const useStyles = makeStyles(theme => ({
  filters: {
    display: 'flex',
    alignItems: 'flex-end',
    flexWrap: 'wrap',
    gap: theme.spacing(2),
    marginBottom: theme.spacing(2),
  },
}));

/** Status and team filters, applied in the browser so that counts show. */
export type RequestsTableFilters = {
  /** A request status, or `all`. */
  status: string;
  /** A team entity ref, or `all`. */
  team: string;
  onChange: (next: { status: string; team: string }) => void;
};

/** What the filters leave, and the counts their choices show. */
export type FilteredRequests = {
  /** The requests that pass both filters. */
  shown: ModelRequest[];
  /** The requests of the chosen team, any status. */
  inTeam: ModelRequest[];
  /** Per status, the requests of the chosen team. */
  statusCounts: Map<string, number>;
  /** Per team, the requests of the chosen status. */
  teamCounts: Map<string, number>;
  /** Every team that has a request, sorted. */
  allTeams: string[];
};

/** Applies the status and team filters and counts what each choice shows. */
export function filterRequests(
  items: ModelRequest[],
  filters: Pick<RequestsTableFilters, 'status' | 'team'>,
): FilteredRequests {
  const statusCounts = new Map<string, number>();
  const teamCounts = new Map<string, number>();
  for (const r of items) {
    if (filters.team === 'all' || r.team === filters.team) {
      statusCounts.set(r.status, (statusCounts.get(r.status) ?? 0) + 1);
    }
    if (filters.status === 'all' || r.status === filters.status) {
      teamCounts.set(r.team, (teamCounts.get(r.team) ?? 0) + 1);
    }
  }
  const allTeams = [...new Set(items.map(r => r.team))].sort();
  const inTeam = items.filter(
    r => filters.team === 'all' || r.team === filters.team,
  );
  const shown = inTeam.filter(
    r => filters.status === 'all' || r.status === filters.status,
  );
  return { shown, inTeam, statusCounts, teamCounts, allTeams };
}

function capitalise(text: string) {
  return text.charAt(0).toLocaleUpperCase('en-US') + text.slice(1);
}

/** The status toggle and team select above the requests table. */
export const RequestsFilterBar = (props: {
  filters: RequestsTableFilters;
  filtered: FilteredRequests;
}) => {
  const { filters, filtered } = props;
  const classes = useStyles();
  return (
    <div className={classes.filters}>
      <ToggleButtonGroup
        size="small"
        exclusive
        value={filters.status}
        onChange={(_e, value) =>
          value && filters.onChange({ status: value, team: filters.team })
        }
        aria-label="Status"
      >
        {MODEL_REQUEST_STATUSES.filter(
          s => s === 'pending' || filtered.statusCounts.has(s),
        ).map(s => (
          <ToggleButton key={s} value={s}>
            {`${capitalise(s)} (${filtered.statusCounts.get(s) ?? 0})`}
          </ToggleButton>
        ))}
        <ToggleButton value="all">{`All (${filtered.inTeam.length})`}</ToggleButton>
      </ToggleButtonGroup>
      <FormControl size="small">
        <InputLabel shrink htmlFor="requests-team-filter">
          Team
        </InputLabel>
        <NativeSelect
          id="requests-team-filter"
          value={filters.team}
          onChange={e =>
            filters.onChange({ status: filters.status, team: e.target.value })
          }
        >
          <option value="all">All teams</option>
          {filtered.allTeams.map(team => (
            <option key={team} value={team}>
              {`${shortRef(team)} (${filtered.teamCounts.get(team) ?? 0})`}
            </option>
          ))}
        </NativeSelect>
      </FormControl>
    </div>
  );
};
