import Chip from '@material-ui/core/Chip';
import { makeStyles } from '@material-ui/core/styles';
import type { ModelRequestStatus } from '@aic/plugin-model-marketplace-common';

const useStyles = makeStyles(theme => ({
  chip: { marginBottom: 0, fontWeight: 500 },
  pending: {
    backgroundColor: theme.palette.warning.light,
    color: theme.palette.getContrastText(theme.palette.warning.light),
  },
  approved: {
    backgroundColor: theme.palette.success.light,
    color: theme.palette.getContrastText(theme.palette.success.light),
  },
  deployed: {
    backgroundColor: theme.palette.success.main,
    color: theme.palette.getContrastText(theme.palette.success.main),
  },
  rejected: {
    backgroundColor: theme.palette.error.light,
    color: theme.palette.getContrastText(theme.palette.error.light),
  },
  cancelled: {},
  retired: {},
  revoked: {
    backgroundColor: theme.palette.error.main,
    color: theme.palette.getContrastText(theme.palette.error.main),
  },
}));

/** A coloured chip for the status of a request. */
export const RequestStatusChip = (props: { status: ModelRequestStatus }) => {
  const classes = useStyles();
  return (
    <Chip
      size="small"
      label={props.status}
      className={`${classes.chip} ${classes[props.status]}`}
    />
  );
};
