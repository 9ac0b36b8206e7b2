import type { ReactNode } from 'react';
import FormControl from '@material-ui/core/FormControl';
import FormHelperText from '@material-ui/core/FormHelperText';
import InputLabel from '@material-ui/core/InputLabel';
import MenuItem from '@material-ui/core/MenuItem';
import Select from '@material-ui/core/Select';

/** One choice of a {@link FormSelectField}. */
export type FormSelectOption = {
  value: string;
  label: ReactNode;
  /** React key, when two options may share a value. Default `value`. */
  key?: string;
};

/**
 * The string value of another field of a scaffolder form: the scaffolder
 * passes the whole form's data as the form context.
 */
export function formFieldValue(
  formContext: { formData?: Record<string, unknown> } | undefined,
  field: string,
): string | undefined {
  const value = formContext?.formData?.[field];
  return typeof value === 'string' ? value : undefined;
}

/**
 * The select the marketplace's scaffolder fields draw: its options come from
 * another field's choice, so it is disabled while there are none, shows an
 * empty choice for a value that is not among them, and says in its helper
 * text what it offers or why it offers nothing.
 */
export const FormSelectField = (props: {
  id: string;
  title: string;
  options: FormSelectOption[] | undefined;
  value: string | undefined;
  onChange: (value: string) => void;
  help: string;
  error: boolean;
  required?: boolean;
  disabled?: boolean;
}) => {
  const { id, title, options, value, onChange, help, error } = props;
  const known = options?.some(o => o.value === value) ? value : '';
  return (
    <FormControl
      fullWidth
      margin="normal"
      variant="outlined"
      required={props.required}
      error={error}
      disabled={props.disabled || !options?.length}
    >
      <InputLabel id={`${id}-label`}>{title}</InputLabel>
      <Select
        labelId={`${id}-label`}
        id={id}
        label={title}
        value={known}
        onChange={e => onChange(e.target.value as string)}
      >
        {(options ?? []).map(o => (
          <MenuItem key={o.key ?? o.value} value={o.value}>
            {o.label}
          </MenuItem>
        ))}
      </Select>
      <FormHelperText>{help}</FormHelperText>
    </FormControl>
  );
};
