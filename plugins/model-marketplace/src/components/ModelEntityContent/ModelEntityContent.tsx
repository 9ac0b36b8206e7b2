import { useState } from 'react';
import useAsync from 'react-use/esm/useAsync';
import { InfoCard, LinkButton, WarningPanel } from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import { useEntity } from '@backstage/plugin-catalog-react';
import { stringifyEntityRef } from '@backstage/catalog-model';
import Button from '@material-ui/core/Button';
import Grid from '@material-ui/core/Grid';
import Tooltip from '@material-ui/core/Tooltip';
import Typography from '@material-ui/core/Typography';
import { makeStyles } from '@material-ui/core/styles';
import GroupAddIcon from '@material-ui/icons/GroupAdd';
import CloudUploadIcon from '@material-ui/icons/CloudUpload';
import {
  isModelEntity,
  type ModelDetails,
  type ModelEntityV1alpha1,
  modelAccessPolicy,
} from '@aic/plugin-model-marketplace-common';
import { modelMarketplaceApiRef } from '../../api';
import { useTemplateLinks } from '../../hooks/useTemplateLinks';
import { ModelOverviewCard } from '../ModelOverviewCard';
import { ModelCardPanel } from '../ModelCardPanel';
import { ModelVersionsCard } from '../ModelVersionsCard';
import { ModelDeploymentsCard } from '../ModelDeploymentsCard';
import { RequestsTable } from '../RequestsTable';
import { RequestDialog } from '../RequestDialog';
import { ModelUsageCard } from '../ModelUsageCard';
import { AccessListExportButtons } from '../AccessListExportButtons';

const useStyles = makeStyles(theme => ({
  actions: {
    display: 'flex',
    flexWrap: 'wrap',
    alignItems: 'center',
    gap: theme.spacing(1.5),
  },
  counts: { flexGrow: 1 },
  refusal: { marginTop: theme.spacing(1), textAlign: 'right' },
}));

/**
 * Why Deploy is not offered, by the deploy guard's rules as the backend
 * answers them for the user (`viewer.deploy`): `undefined` when it is
 * offered, `''` while the answer is loading (disabled, nothing to say yet).
 * When the backend cannot be reached, Deploy stays offered: the deploy task
 * checks again.
 */
function whyNoDeploy(
  entity: ModelEntityV1alpha1,
  details: { loading: boolean; value?: ModelDetails },
): string | undefined {
  if (!entity.spec.serving) {
    return 'the model declares no serving runtime (spec.serving)';
  }
  if (details.loading && !details.value) {
    return '';
  }
  const deploy = details.value?.viewer.deploy;
  if (deploy && deploy.teams.length === 0) {
    return deploy.reason ?? 'none of your teams may deploy this model';
  }
  return undefined;
}

const ModelEntityContentBody = (props: { entity: ModelEntityV1alpha1 }) => {
  const { entity } = props;
  const classes = useStyles();
  const api = useApi(modelMarketplaceApiRef);
  const templateLinks = useTemplateLinks();
  const modelRef = stringifyEntityRef(entity);
  const [requestOpen, setRequestOpen] = useState(false);
  const [requestsVersion, setRequestsVersion] = useState(0);

  const details = useAsync(
    () => api.getModel(modelRef),
    [api, modelRef, requestsVersion],
  );
  const viewer = details.value?.viewer;
  const canRequest = viewer ? viewer.canRequest : true;
  const versions = details.value?.versions ?? entity.spec.versions ?? [];
  const counts = details.value?.requestCounts;
  const deployRefusal = whyNoDeploy(entity, details);

  return (
    <Grid container spacing={3} alignItems="stretch">
      <Grid item xs={12}>
        <div className={classes.actions}>
          <Typography
            variant="body2"
            color="textSecondary"
            className={classes.counts}
          >
            {details.value
              ? `${
                  details.value.deploymentCounts.active
                } active deployments · ${
                  (counts?.pending ?? 0) +
                  (counts?.approved ?? 0) +
                  (counts?.deployed ?? 0)
                } open or granted requests`
              : ''}
          </Typography>
          <Tooltip
            title={
              canRequest
                ? 'Ask for access on behalf of one of your teams'
                : 'Your teams are not among the groups allowed to request this model'
            }
          >
            <span>
              <Button
                variant="contained"
                color="primary"
                startIcon={<GroupAddIcon />}
                disabled={!canRequest}
                onClick={() => setRequestOpen(true)}
              >
                Request for my team
              </Button>
            </span>
          </Tooltip>
          {templateLinks && deployRefusal === undefined && (
            <LinkButton
              variant="outlined"
              color="primary"
              startIcon={<CloudUploadIcon />}
              to={templateLinks.deploy(modelRef)}
            >
              Deploy
            </LinkButton>
          )}
          {templateLinks && deployRefusal !== undefined && (
            <Button
              variant="outlined"
              color="primary"
              startIcon={<CloudUploadIcon />}
              disabled
              aria-describedby={deployRefusal ? 'deploy-refusal' : undefined}
            >
              Deploy
            </Button>
          )}
        </div>
        {templateLinks && deployRefusal && (
          <Typography
            id="deploy-refusal"
            variant="body2"
            color="textSecondary"
            className={classes.refusal}
          >
            Deploy is not available: {deployRefusal}
          </Typography>
        )}
        {details.error && (
          <Typography variant="body2" color="error" role="alert">
            Could not load the marketplace details: {details.error.message}
          </Typography>
        )}
      </Grid>
      <Grid item xs={12} md={6}>
        <ModelOverviewCard entity={entity} details={details.value} />
      </Grid>
      <Grid item xs={12} md={6}>
        <ModelUsageCard modelRef={modelRef} refreshKey={requestsVersion} />
      </Grid>
      <Grid item xs={12} data-testid="model-card-item">
        <ModelCardPanel entity={entity} />
      </Grid>
      <Grid item xs={12}>
        <ModelVersionsCard
          versions={versions}
          evaluation={entity.spec.evaluation}
        />
      </Grid>
      <Grid item xs={12}>
        <ModelDeploymentsCard modelRef={modelRef} model={entity} />
      </Grid>
      <Grid item xs={12}>
        <InfoCard
          title="Requests"
          variant="gridItem"
          action={
            viewer?.isApprover ? (
              <AccessListExportButtons
                modelRef={modelRef}
                fileName={entity.metadata.name}
              />
            ) : undefined
          }
        >
          <RequestsTable
            model={modelRef}
            hideModel
            role={viewer?.isApprover ? 'approver' : undefined}
            refreshKey={requestsVersion}
            emptyText="No team has requested this model yet"
          />
        </InfoCard>
      </Grid>
      {requestOpen && (
        <RequestDialog
          open
          onClose={() => setRequestOpen(false)}
          onCreated={() => setRequestsVersion(v => v + 1)}
          modelRef={modelRef}
          modelTitle={entity.metadata.title ?? entity.metadata.name}
          versions={versions}
          accessPolicy={modelAccessPolicy(entity)}
          teams={viewer?.teams}
          questions={entity.spec.access?.questions}
        />
      )}
    </Grid>
  );
};

/** The "Model" tab of a Model entity. */
export const ModelEntityContent = () => {
  const { entity } = useEntity();
  if (!isModelEntity(entity)) {
    return (
      <WarningPanel title="Not a model">
        This tab only works on entities of kind Model (apiVersion
        aic.dev/v1alpha1).
      </WarningPanel>
    );
  }
  return <ModelEntityContentBody entity={entity} />;
};
