import Chip from '@material-ui/core/Chip';
import Tooltip from '@material-ui/core/Tooltip';
import LockOpenIcon from '@material-ui/icons/LockOpen';
import LockIcon from '@material-ui/icons/Lock';
import HowToRegIcon from '@material-ui/icons/HowToReg';
import type { ModelAccessPolicy } from '@aic/plugin-model-marketplace-common';

const describe: Record<
  ModelAccessPolicy,
  { label: string; help: string; icon: JSX.Element }
> = {
  open: {
    label: 'Open',
    help: 'Requests are approved automatically',
    icon: <LockOpenIcon />,
  },
  approval: {
    label: 'Approval',
    help: 'An approver reviews every request',
    icon: <HowToRegIcon />,
  },
  restricted: {
    label: 'Restricted',
    help: 'Only the allowed groups may request it, and an approver reviews it',
    icon: <LockIcon />,
  },
};

/** A badge for a model's access policy. */
export const AccessPolicyChip = (props: {
  policy: ModelAccessPolicy | string;
  size?: 'small' | 'medium';
}) => {
  const info = describe[props.policy as ModelAccessPolicy] ?? {
    label: props.policy,
    help: 'Access policy',
    icon: <HowToRegIcon />,
  };
  return (
    <Tooltip title={info.help}>
      <Chip
        size={props.size ?? 'small'}
        icon={info.icon}
        label={info.label}
        variant="outlined"
        color={props.policy === 'open' ? 'primary' : 'default'}
        aria-label={`Access policy: ${info.label}`}
        style={{ marginBottom: 0 }}
      />
    </Tooltip>
  );
};
