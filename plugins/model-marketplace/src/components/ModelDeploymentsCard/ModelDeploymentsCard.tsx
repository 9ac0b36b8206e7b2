import { Fragment, useEffect, useState } from 'react';
import {
  InfoCard,
  LinkButton,
  Progress,
  ResponseErrorPanel,
} from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import TableBody from '@material-ui/core/TableBody';
import TableCell from '@material-ui/core/TableCell';
import { WordSafeTable, WordSafeTableHead } from '../WordSafeTableHead';
import TableRow from '@material-ui/core/TableRow';
import Chip from '@material-ui/core/Chip';
import Typography from '@material-ui/core/Typography';
import Button from '@material-ui/core/Button';
import Collapse from '@material-ui/core/Collapse';
import CodeIcon from '@material-ui/icons/Code';
import { EntityDisplayName } from '@backstage/plugin-catalog-react';
import type {
  DeploymentRecord,
  ModelEntityV1alpha1,
} from '@aic/plugin-model-marketplace-common';
import { modelMarketplaceApiRef } from '../../api';
import { shortRef } from '../../util/refs';
import { useTemplateLinks } from '../../hooks/useTemplateLinks';
import { DeploymentStatusChip } from '../DeploymentStatusChip';
import { DeploymentExampleCall } from './DeploymentExampleCall';

/** How often the live status is read again while the page is open. */
export const DEPLOYMENT_POLL_MS = 10_000;

/**
 * Where a model runs, whether it is healthy, who deployed it and when, its
 * endpoint and an example call for the runtime's protocol.
 */
export const ModelDeploymentsCard = (props: {
  modelRef: string;
  /** The model; its serving section picks the example call's protocol. */
  model?: ModelEntityV1alpha1;
  pollMs?: number;
  /** Show this deployment's example call from the start. */
  openDeploymentId?: string;
}) => {
  const { modelRef } = props;
  const pollMs = props.pollMs ?? DEPLOYMENT_POLL_MS;
  const api = useApi(modelMarketplaceApiRef);
  const templateLinks = useTemplateLinks();
  const [items, setItems] = useState<DeploymentRecord[]>();
  const [error, setError] = useState<Error>();
  const [shown, setShown] = useState<string | undefined>(
    props.openDeploymentId,
  );

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
        <WordSafeTable size="small" aria-label="Deployments">
          <WordSafeTableHead>
            {/* headers never break inside a word */}
            <TableRow style={{ whiteSpace: 'nowrap' }}>
              <TableCell>Team</TableCell>
              <TableCell>Where</TableCell>
              <TableCell>Version</TableCell>
              <TableCell>Status</TableCell>
              <TableCell>Endpoint</TableCell>
              <TableCell>Deployed</TableCell>
              <TableCell>
                <span className="MuiTypography-srOnly">Actions</span>
              </TableCell>
            </TableRow>
          </WordSafeTableHead>
          <TableBody>
            {items.map(d => (
              <Fragment key={d.id}>
                <TableRow data-testid={`deployment-${d.id}`}>
                  <TableCell style={{ whiteSpace: 'nowrap' }}>
                    {d.team ? shortRef(d.team) : '—'}
                  </TableCell>
                  <TableCell style={{ whiteSpace: 'nowrap' }}>
                    {d.cluster}/{d.namespace}
                  </TableCell>
                  <TableCell>{d.version}</TableCell>
                  <TableCell>
                    <DeploymentStatusChip deployment={d} />
                    {d.discovered ? (
                      <Chip
                        size="small"
                        variant="outlined"
                        label="discovered, not managed"
                        title={d.message}
                        data-testid="discovered-chip"
                        style={{ marginLeft: 4 }}
                      />
                    ) : null}
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
                    {d.status === 'deployed' && !d.discovered && (
                      <Button
                        size="small"
                        color="primary"
                        startIcon={<CodeIcon />}
                        aria-expanded={shown === d.id}
                        onClick={() =>
                          setShown(shown === d.id ? undefined : d.id)
                        }
                      >
                        {shown === d.id ? 'Hide example call' : 'Example call'}
                      </Button>
                    )}
                  </TableCell>
                  <TableCell style={{ whiteSpace: 'nowrap' }}>
                    <Typography variant="body2">
                      <EntityDisplayName entityRef={d.deployedBy} hideIcon />
                    </Typography>
                    <Typography
                      variant="caption"
                      color="textSecondary"
                      title={`Last change ${new Date(
                        d.updatedAt,
                      ).toLocaleString()}`}
                    >
                      {new Date(d.createdAt).toLocaleString()}
                    </Typography>
                  </TableCell>
                  <TableCell>
                    {/* The undeploy template checks team membership and
                      namespace ownership, as a deploy does; a deploy still
                      running must finish first. A discovered workload is
                      not the marketplace's: it offers no action at all. */}
                    {d.discovered || !templateLinks ? null : (
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
                <TableRow>
                  <TableCell
                    colSpan={7}
                    style={{
                      padding: 0,
                      borderBottom: shown === d.id ? undefined : 0,
                    }}
                  >
                    <Collapse in={shown === d.id} unmountOnExit>
                      <DeploymentExampleCall
                        deployment={d}
                        model={props.model}
                      />
                    </Collapse>
                  </TableCell>
                </TableRow>
              </Fragment>
            ))}
          </TableBody>
        </WordSafeTable>
      </div>
    );
  }
  return (
    <InfoCard title="Deployments" variant="gridItem">
      {body}
    </InfoCard>
  );
};
