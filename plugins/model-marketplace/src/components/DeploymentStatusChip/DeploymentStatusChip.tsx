import {
  StatusAborted,
  StatusError,
  StatusOK,
  StatusPending,
  StatusRunning,
  StatusWarning,
} from '@backstage/core-components';
import Tooltip from '@material-ui/core/Tooltip';
import type { DeploymentRecord } from '@aic/plugin-model-marketplace-common';

/**
 * The live state of a deployment as read from its cluster, falling back to
 * the recorded status when the cluster was not read.
 */
export const DeploymentStatusChip = (props: {
  deployment: DeploymentRecord;
}) => {
  const { deployment } = props;
  const live = deployment.live;
  const replicas =
    live?.desiredReplicas !== undefined
      ? ` (${live.readyReplicas ?? 0}/${live.desiredReplicas})`
      : '';
  let content: JSX.Element;
  // The recorded outcome wins over what the cluster shows: a failed
  // rollback leaves live objects behind, and must not read as "Ready".
  if (deployment.status === 'undeployed') {
    content = <StatusAborted>Undeployed</StatusAborted>;
  } else if (deployment.status === 'rollback-failed') {
    content = <StatusError>Rollback failed</StatusError>;
  } else if (deployment.status === 'rolled-back') {
    content = <StatusAborted>Rolled back</StatusAborted>;
  } else if (deployment.status === 'failed') {
    content = <StatusError>Failed</StatusError>;
  } else if (!live) {
    content = <StatusPending>{deployment.status}</StatusPending>;
  } else {
    switch (live.state) {
      case 'ready':
        content = <StatusOK>Ready{replicas}</StatusOK>;
        break;
      case 'progressing':
        content = <StatusRunning>Progressing{replicas}</StatusRunning>;
        break;
      case 'failed':
        content = <StatusError>Failed</StatusError>;
        break;
      case 'missing':
        content = <StatusWarning>Missing</StatusWarning>;
        break;
      default:
        content = <StatusPending>Unknown</StatusPending>;
    }
  }
  return (
    <Tooltip title={live?.message ?? deployment.message ?? ''}>
      <span>{content}</span>
    </Tooltip>
  );
};
