import { InfoCard, Link } from '@backstage/core-components';
import { EntityRefLink } from '@backstage/plugin-catalog-react';
import Chip from '@material-ui/core/Chip';
import Typography from '@material-ui/core/Typography';
import { makeStyles } from '@material-ui/core/styles';
import {
  modelAccessPolicy,
  type ModelDetails,
  type ModelEntityV1alpha1,
} from '@aic/plugin-model-marketplace-common';
import { AccessPolicyChip } from '../AccessPolicyChip';
import { formatReplicas, formatResources } from '../../util/models';
import { compoundRef } from '../../util/refs';

const useStyles = makeStyles(theme => ({
  list: {
    display: 'grid',
    gridTemplateColumns: 'minmax(120px, max-content) 1fr',
    columnGap: theme.spacing(2),
    rowGap: theme.spacing(1),
    margin: 0,
    '& dt': {
      color: theme.palette.text.secondary,
      fontWeight: 500,
    },
    '& dd': { margin: 0, minWidth: 0, overflowWrap: 'anywhere' },
  },
  chips: {
    display: 'flex',
    flexWrap: 'wrap',
    gap: theme.spacing(0.5),
    '& > *': { marginBottom: 0 },
  },
  section: {
    marginTop: theme.spacing(2),
    marginBottom: theme.spacing(1),
    fontWeight: 600,
  },
  code: { fontFamily: 'monospace', fontSize: '0.85em' },
}));

const Item = (props: { label: string; children: React.ReactNode }) => (
  <>
    <Typography component="dt" variant="body2">
      {props.label}
    </Typography>
    <Typography component="dd" variant="body2">
      {props.children}
    </Typography>
  </>
);

/** What the model is, who owns it, who may use it and how it is served. */
export const ModelOverviewCard = (props: {
  entity: ModelEntityV1alpha1;
  details?: ModelDetails;
}) => {
  const { entity, details } = props;
  const classes = useStyles();
  const { spec } = entity;
  const serving = spec.serving;
  const approvers = details?.approvers ??
    spec.access?.approvers ?? [spec.owner];
  const allowed = details?.allowedGroups ?? spec.access?.allowedGroups;
  const termsUrl = details?.termsUrl ?? spec.access?.termsUrl;

  return (
    <InfoCard title="Overview" variant="gridItem">
      {entity.metadata.description && (
        <Typography variant="body1" paragraph>
          {entity.metadata.description}
        </Typography>
      )}
      <dl className={classes.list}>
        <Item label="Type">
          <span className={classes.chips}>
            <Chip size="small" color="primary" label={spec.type} />
            {spec.task && (
              <Chip size="small" variant="outlined" label={spec.task} />
            )}
          </span>
        </Item>
        <Item label="Owner">
          <EntityRefLink entityRef={compoundRef(spec.owner, 'group')} />
        </Item>
        {spec.system && (
          <Item label="System">
            <EntityRefLink entityRef={compoundRef(spec.system, 'system')} />
          </Item>
        )}
        <Item label="Lifecycle">{spec.lifecycle}</Item>
        {spec.parameters && <Item label="Parameters">{spec.parameters}</Item>}
        {spec.framework && <Item label="Framework">{spec.framework}</Item>}
        {spec.languages?.length ? (
          <Item label="Languages">{spec.languages.join(', ')}</Item>
        ) : null}
        <Item label="Licence">
          {spec.licenseUrl ? (
            <Link to={spec.licenseUrl}>{spec.license ?? spec.licenseUrl}</Link>
          ) : (
            spec.license ?? '—'
          )}
        </Item>
        {spec.baseModel && (
          <Item label="Base model">
            <EntityRefLink entityRef={compoundRef(spec.baseModel, 'model')} />
          </Item>
        )}
        {spec.datasets?.length ? (
          <Item label="Datasets">
            {spec.datasets.map((ref, i) => (
              <span key={ref}>
                {i > 0 && ', '}
                <EntityRefLink entityRef={compoundRef(ref, 'resource')} />
              </span>
            ))}
          </Item>
        ) : null}
      </dl>

      <Typography variant="subtitle2" className={classes.section}>
        Access
      </Typography>
      <dl className={classes.list}>
        <Item label="Policy">
          <AccessPolicyChip policy={modelAccessPolicy(entity)} />
        </Item>
        <Item label="Approvers">
          {approvers.map((ref, i) => (
            <span key={ref}>
              {i > 0 && ', '}
              <EntityRefLink entityRef={compoundRef(ref, 'group')} />
            </span>
          ))}
        </Item>
        {allowed?.length ? (
          <Item label="Allowed groups">
            {allowed.map((ref, i) => (
              <span key={ref}>
                {i > 0 && ', '}
                <EntityRefLink entityRef={compoundRef(ref, 'group')} />
              </span>
            ))}
          </Item>
        ) : null}
        {termsUrl && (
          <Item label="Terms">
            <Link to={termsUrl}>Terms of use</Link>
          </Item>
        )}
      </dl>

      <Typography variant="subtitle2" className={classes.section}>
        Serving
      </Typography>
      {serving ? (
        <dl className={classes.list}>
          <Item label="Runtime">
            {serving.runtime}
            {serving.protocol ? ` · ${serving.protocol}` : ''}
            {serving.port ? ` · port ${serving.port}` : ''}
          </Item>
          {serving.image && (
            <Item label="Image">
              <span className={classes.code}>{serving.image}</span>
            </Item>
          )}
          {serving.modelFormat && (
            <Item label="Model format">{serving.modelFormat}</Item>
          )}
          <Item label="Resources">{formatResources(serving.resources)}</Item>
          <Item label="Replicas">{formatReplicas(serving.replicas)}</Item>
        </dl>
      ) : (
        <Typography variant="body2" color="textSecondary">
          The model does not say how it is served, so it cannot be deployed from
          the marketplace.
        </Typography>
      )}
    </InfoCard>
  );
};
