import { useState } from 'react';
import Button from '@material-ui/core/Button';
import Checkbox from '@material-ui/core/Checkbox';
import FormControlLabel from '@material-ui/core/FormControlLabel';
import Typography from '@material-ui/core/Typography';
import { makeStyles } from '@material-ui/core/styles';
import {
  MODEL_FACET_FIELDS,
  type ModelFacetField,
  type ModelFacetValue,
} from '@aic/plugin-model-marketplace-common';
import { shortRef } from '../../util/refs';

/** Human labels of the facets. */
export const FACET_LABELS: Record<ModelFacetField, string> = {
  type: 'Type',
  task: 'Task',
  license: 'Licence',
  owner: 'Owner',
  lifecycle: 'Lifecycle',
  framework: 'Framework',
  tag: 'Tag',
};

const COLLAPSED_SIZE = 6;

const useStyles = makeStyles(theme => ({
  facet: {
    marginBottom: theme.spacing(2),
  },
  heading: {
    fontWeight: 600,
    textTransform: 'uppercase',
    fontSize: '0.75rem',
    letterSpacing: '0.05em',
    color: theme.palette.text.secondary,
    marginBottom: theme.spacing(0.5),
  },
  option: {
    display: 'flex',
    marginLeft: 0,
    marginRight: 0,
    '& .MuiFormControlLabel-label': {
      flexGrow: 1,
      display: 'flex',
      justifyContent: 'space-between',
      minWidth: 0,
    },
  },
  checkbox: { padding: theme.spacing(0.5) },
  value: {
    overflow: 'hidden',
    textOverflow: 'ellipsis',
    whiteSpace: 'nowrap',
  },
  count: {
    color: theme.palette.text.secondary,
    marginLeft: theme.spacing(1),
  },
}));

function valueLabel(field: ModelFacetField, value: string) {
  return field === 'owner' ? shortRef(value) : value;
}

const Facet = (props: {
  field: ModelFacetField;
  values: ModelFacetValue[];
  selected: string[];
  onChange: (selected: string[]) => void;
}) => {
  const { field, values, selected, onChange } = props;
  const classes = useStyles();
  const [expanded, setExpanded] = useState(false);
  // Selected values stay visible even when nothing matches them any more.
  const all = [...values];
  for (const value of selected) {
    if (!all.some(v => v.value === value)) {
      all.push({ value, count: 0 });
    }
  }
  if (all.length === 0) {
    return null;
  }
  const shown = expanded
    ? all
    : all.filter(
        (v, index) => index < COLLAPSED_SIZE || selected.includes(v.value),
      );
  const label = FACET_LABELS[field];
  return (
    <fieldset
      className={classes.facet}
      style={{ border: 0, padding: 0, margin: 0, minWidth: 0 }}
      aria-label={label}
    >
      <Typography component="legend" className={classes.heading}>
        {label}
      </Typography>
      {shown.map(({ value, count }) => {
        const checked = selected.includes(value);
        return (
          <FormControlLabel
            key={value}
            className={classes.option}
            control={
              <Checkbox
                size="small"
                className={classes.checkbox}
                checked={checked}
                onChange={() =>
                  onChange(
                    checked
                      ? selected.filter(v => v !== value)
                      : [...selected, value],
                  )
                }
                inputProps={{
                  'aria-label': `${label}: ${valueLabel(field, value)}`,
                }}
              />
            }
            label={
              <>
                <Typography variant="body2" className={classes.value}>
                  {valueLabel(field, value)}
                </Typography>
                <Typography variant="body2" className={classes.count}>
                  {count}
                </Typography>
              </>
            }
          />
        );
      })}
      {all.length > COLLAPSED_SIZE && (
        <Button size="small" onClick={() => setExpanded(!expanded)}>
          {expanded ? 'Show fewer' : `Show all ${all.length}`}
        </Button>
      )}
    </fieldset>
  );
};

/**
 * Checkbox lists of the facet values with their counts. Values within a
 * facet are OR-ed by the backend, facets are AND-ed.
 */
export const FacetFilters = (props: {
  facets?: Partial<Record<ModelFacetField, ModelFacetValue[]>>;
  selected: Record<ModelFacetField, string[]>;
  onChange: (field: ModelFacetField, values: string[]) => void;
}) => {
  const { facets, selected, onChange } = props;
  return (
    <div aria-label="Filters" role="group">
      {MODEL_FACET_FIELDS.map(field => (
        <Facet
          key={field}
          field={field}
          values={facets?.[field] ?? []}
          selected={selected[field] ?? []}
          onChange={values => onChange(field, values)}
        />
      ))}
    </div>
  );
};
