import { Link } from '@backstage/core-components';
import { useEntityRefLink } from '@backstage/plugin-catalog-react';
import Card from '@material-ui/core/Card';
import CardActions from '@material-ui/core/CardActions';
import CardContent from '@material-ui/core/CardContent';
import Checkbox from '@material-ui/core/Checkbox';
import Chip from '@material-ui/core/Chip';
import FormControlLabel from '@material-ui/core/FormControlLabel';
import Typography from '@material-ui/core/Typography';
import { makeStyles } from '@material-ui/core/styles';
import type { ModelSummary } from '@aic/plugin-model-marketplace-common';
import { AccessPolicyChip } from '../AccessPolicyChip';
import { shortRef } from '../../util/refs';

const useStyles = makeStyles(theme => ({
  card: {
    height: '100%',
    display: 'flex',
    flexDirection: 'column',
  },
  content: { flexGrow: 1, paddingBottom: theme.spacing(1) },
  title: {
    fontSize: '1.1rem',
    fontWeight: 600,
    lineHeight: 1.3,
    marginBottom: theme.spacing(1),
    wordBreak: 'break-word',
  },
  chips: {
    display: 'flex',
    flexWrap: 'wrap',
    gap: theme.spacing(0.5),
    marginBottom: theme.spacing(1),
    '& > *': { marginBottom: 0 },
  },
  description: {
    display: '-webkit-box',
    WebkitLineClamp: 3,
    WebkitBoxOrient: 'vertical',
    overflow: 'hidden',
    marginTop: theme.spacing(1),
  },
  facts: {
    display: 'grid',
    gridTemplateColumns: 'auto 1fr',
    columnGap: theme.spacing(1.5),
    rowGap: theme.spacing(0.25),
    margin: 0,
    // plain dt/dd with the body2 type: six Typography elements fewer per card
    '& dt, & dd': { ...theme.typography.body2 },
    '& dt': { color: theme.palette.text.secondary },
    '& dd': {
      margin: 0,
      overflow: 'hidden',
      textOverflow: 'ellipsis',
      whiteSpace: 'nowrap',
    },
  },
  actions: {
    justifyContent: 'space-between',
    paddingLeft: theme.spacing(2),
    paddingTop: 0,
  },
}));

/** One model in the marketplace grid. */
export const ModelCard = (props: {
  model: ModelSummary;
  selected?: boolean;
  onSelectChange?: (selected: boolean) => void;
  selectDisabled?: boolean;
}) => {
  const { model, selected, onSelectChange, selectDisabled } = props;
  const classes = useStyles();
  const entityLink = useEntityRefLink();
  const title = model.title ?? model.name;
  return (
    <Card
      className={classes.card}
      variant="outlined"
      component="article"
      aria-label={title}
      data-testid="model-card"
    >
      <CardContent className={classes.content}>
        <Typography variant="h6" component="h3" className={classes.title}>
          <Link to={entityLink(model.ref)}>{title}</Link>
        </Typography>
        <div className={classes.chips}>
          <Chip size="small" color="primary" label={model.type} />
          {model.task && (
            <Chip size="small" variant="outlined" label={model.task} />
          )}
          <AccessPolicyChip policy={model.accessPolicy} />
        </div>
        <dl className={classes.facts}>
          <dt>Owner</dt>
          <dd>{shortRef(model.owner)}</dd>
          <dt>Licence</dt>
          <dd>{model.license ?? '—'}</dd>
          <dt>Parameters</dt>
          <dd>{model.parameters ?? '—'}</dd>
        </dl>
        {model.description && (
          <Typography
            variant="body2"
            color="textSecondary"
            className={classes.description}
          >
            {model.description}
          </Typography>
        )}
      </CardContent>
      {onSelectChange && (
        <CardActions className={classes.actions}>
          <Typography variant="caption" color="textSecondary">
            {model.lifecycle}
          </Typography>
          <FormControlLabel
            control={
              <Checkbox
                size="small"
                checked={!!selected}
                disabled={selectDisabled && !selected}
                onChange={e => onSelectChange(e.target.checked)}
                inputProps={{ 'aria-label': `Compare ${title}` }}
              />
            }
            label="Compare"
          />
        </CardActions>
      )}
    </Card>
  );
};
