import { useEffect, useState } from 'react';
import {
  InfoCard,
  LinkButton,
  Progress,
  ResponseErrorPanel,
} from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import Table from '@material-ui/core/Table';
import TableBody from '@material-ui/core/TableBody';
import TableCell from '@material-ui/core/TableCell';
import TableHead from '@material-ui/core/TableHead';
import TableRow from '@material-ui/core/TableRow';
import Typography from '@material-ui/core/Typography';
import type { DeploymentRecord } from '@aic/plugin-model-marketplace-common';
import { modelMarketplaceApiRef } from '../../api';
import { shortRef } from '../../util/refs';
import { useTemplateLinks } from '../../hooks/useTemplateLinks';
import { DeploymentStatusChip } from '../DeploymentStatusChip';

/** How often the live status is read again while the page is open. */
export const DEPLOYMENT_POLL_MS = 10_000;

/** Where a model runs, whether it is healthy, and its endpoint. */
export const ModelDeploymentsCard = (props: {
  modelRef: string;
  pollMs?: number;
}) => {
  const { modelRef } = props;
  const pollMs = props.pollMs ?? DEPLOYMENT_POLL_MS;
  const api = useApi(modelMarketplaceApiRef);
  const templateLinks = useTemplateLinks();
  const [items, setItems] = useState<DeploymentRecord[]>();
  const [error, setError] = useState<Error>();

  useEffect(() => {
    let cancelled = false;
    const load = () =>
      api
        .listDeployments({ model: modelRef })
        .then(response => {
          if (!cancelled) {
            setItems(response.items);
            setError(undefined);
          }
        })
        .catch(e => !cancelled && setError(e));
    load();
    const timer = pollMs > 0 ? setInterval(load, pollMs) : undefined;
    return () => {
      cancelled = true;
      if (timer) {
        clearInterval(timer);
      }
    };
  }, [api, modelRef, pollMs]);

  let body: JSX.Element;
  if (error && !items) {
    body = <ResponseErrorPanel error={error} />;
  } else if (!items) {
    body = <Progress />;
  } else if (items.length === 0) {
    body = (
      <Typography variant="body2" color="textSecondary">
        Not deployed anywhere yet. Use Deploy to run it in one of your team's
        namespaces.
      </Typography>
    );
  } else {
    body = (
      <div style={{ overflowX: 'auto' }}>
        <Table size="small" aria-label="Deployments">
          <TableHead>
            <TableRow>
              <TableCell>Team</TableCell>
              <TableCell>Where</TableCell>
              <TableCell>Version</TableCell>
              <TableCell>Status</TableCell>
              <TableCell>Endpoint</TableCell>
              <TableCell>Updated</TableCell>
              <TableCell>
                <span className="MuiTypography-srOnly">Actions</span>
              </TableCell>
            </TableRow>
          </TableHead>
          <TableBody>
            {items.map(d => (
              <TableRow key={d.id} data-testid={`deployment-${d.id}`}>
                <TableCell>{shortRef(d.team)}</TableCell>
                <TableCell style={{ whiteSpace: 'nowrap' }}>
                  {d.cluster}/{d.namespace}
                </TableCell>
                <TableCell>{d.version}</TableCell>
                <TableCell>
                  <DeploymentStatusChip deployment={d} />
                </TableCell>
                <TableCell>
                  {d.endpoint ? (
                    <Typography
                      variant="body2"
                      style={{
                        fontFamily: 'monospace',
                        overflowWrap: 'anywhere',
                      }}
                    >
                      {d.endpoint}
                    </Typography>
                  ) : (
                    '—'
                  )}
                </TableCell>
                <TableCell style={{ whiteSpace: 'nowrap' }}>
                  {new Date(d.updatedAt).toLocaleString()}
                </TableCell>
                <TableCell>
                  {/* The undeploy template checks team membership and
                      namespace ownership, as a deploy does; a deploy still
                      running must finish first. */}
                  {templateLinks && (
                    <LinkButton
                      size="small"
                      variant="outlined"
                      to={templateLinks.undeploy(d)}
                      disabled={d.status === 'deploying'}
                      aria-label={`Undeploy from ${d.cluster}/${d.namespace}`}
                    >
                      Undeploy
                    </LinkButton>
                  )}
                </TableCell>
              </TableRow>
            ))}
          </TableBody>
        </Table>
      </div>
    );
  }
  return (
    <InfoCard title="Deployments" variant="gridItem">
      {body}
    </InfoCard>
  );
};
