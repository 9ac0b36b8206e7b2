import useAsync from 'react-use/esm/useAsync';
import {
  InfoCard,
  Progress,
  ResponseErrorPanel,
} from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import { EntityRefLink } from '@backstage/plugin-catalog-react';
import TableBody from '@material-ui/core/TableBody';
import TableCell from '@material-ui/core/TableCell';
import { WordSafeTable, WordSafeTableHead } from '../WordSafeTableHead';
import TableRow from '@material-ui/core/TableRow';
import Typography from '@material-ui/core/Typography';
import { modelMarketplaceApiRef } from '../../api';

function plural(n: number, word: string) {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

/**
 * Who uses this model: the teams with an approved request or a live
 * deployment, with counts, so owners know their consumers and requesters
 * see adoption.
 */
export const ModelUsageCard = (props: {
  modelRef: string;
  /** Changes when the caller wants a reload. */
  refreshKey?: unknown;
}) => {
  const { modelRef, refreshKey } = props;
  const api = useApi(modelMarketplaceApiRef);
  const usage = useAsync(
    () => api.getModelUsage(modelRef),
    [api, modelRef, refreshKey],
  );

  let body: JSX.Element;
  if (usage.error) {
    body = <ResponseErrorPanel error={usage.error} />;
  } else if (!usage.value) {
    body = <Progress />;
  } else if (usage.value.teams.length === 0) {
    body = (
      <Typography variant="body2" color="textSecondary">
        No team uses this model yet: none has an approved request or a
        deployment.
      </Typography>
    );
  } else {
    const { teams, totals } = usage.value;
    body = (
      <>
        <Typography variant="body2" color="textSecondary" paragraph>
          {`${plural(totals.teams, 'team')} · ${plural(
            totals.deployments,
            'live deployment',
          )} · ${plural(totals.approvedRequests, 'approved request')}`}
        </Typography>
        <WordSafeTable size="small" aria-label="Teams using the model">
          <WordSafeTableHead>
            <TableRow>
              <TableCell>Team</TableCell>
              <TableCell align="right">Deployments</TableCell>
              <TableCell align="right">Approved requests</TableCell>
            </TableRow>
          </WordSafeTableHead>
          <TableBody>
            {teams.map(t => (
              <TableRow key={t.team}>
                <TableCell>
                  <EntityRefLink entityRef={t.team} hideIcon />
                </TableCell>
                <TableCell align="right">{t.deployments}</TableCell>
                <TableCell align="right">{t.approvedRequests}</TableCell>
              </TableRow>
            ))}
          </TableBody>
        </WordSafeTable>
      </>
    );
  }
  return (
    <InfoCard title="Who uses this model" variant="gridItem">
      {body}
    </InfoCard>
  );
};
