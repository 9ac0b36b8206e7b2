import { CopyTextButton } from '@backstage/core-components';
import Typography from '@material-ui/core/Typography';
import { makeStyles } from '@material-ui/core/styles';
import {
  buildExampleCall,
  type DeploymentRecord,
  type ModelEntityV1alpha1,
} from '@aic/plugin-model-marketplace-common';

const useStyles = makeStyles(theme => ({
  root: { padding: theme.spacing(1.5, 2) },
  header: { display: 'flex', alignItems: 'center', gap: theme.spacing(1) },
  code: {
    margin: 0,
    padding: theme.spacing(1.5),
    fontSize: '0.8rem',
    overflowX: 'auto',
    borderRadius: theme.shape.borderRadius,
    backgroundColor: theme.palette.background.default,
    border: `1px solid ${theme.palette.divider}`,
  },
}));

/**
 * How to call a deployment: a `curl` for the protocol of its runtime
 * (OpenAI-compatible for vLLM and TGI, KServe v1/v2 for InferenceServices),
 * with a copy button.
 */
export const DeploymentExampleCall = (props: {
  deployment: DeploymentRecord;
  model?: ModelEntityV1alpha1;
}) => {
  const { deployment, model } = props;
  const classes = useStyles();
  const call = buildExampleCall({
    runtime: model?.spec.serving?.runtime,
    protocol: model?.spec.serving?.protocol,
    modelType: model?.spec.type,
    task: model?.spec.task,
    modelName: model?.metadata.name ?? deployment.workload,
    workload: deployment.workload,
    namespace: deployment.namespace,
    endpoint: deployment.endpoint,
  });
  return (
    <div className={classes.root} aria-label="Example call">
      <div className={classes.header}>
        <Typography variant="subtitle2">{call.label}</Typography>
        <CopyTextButton
          text={call.command}
          tooltipText="Example call copied"
          aria-label="Copy the example call"
        />
      </div>
      <Typography variant="caption" color="textSecondary" component="p">
        From inside the cluster, or through a port-forward to the service.
      </Typography>
      <pre className={classes.code}>
        <code>{call.command}</code>
      </pre>
    </div>
  );
};
