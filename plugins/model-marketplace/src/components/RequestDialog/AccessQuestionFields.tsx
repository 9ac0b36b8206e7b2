import Checkbox from '@material-ui/core/Checkbox';
import FormControl from '@material-ui/core/FormControl';
import FormControlLabel from '@material-ui/core/FormControlLabel';
import FormHelperText from '@material-ui/core/FormHelperText';
import MenuItem from '@material-ui/core/MenuItem';
import TextField from '@material-ui/core/TextField';
import type {
  ModelAccessAnswers,
  ModelAccessQuestion,
} from '@aic/plugin-model-marketplace-common';

/**
 * The fields of a model's access questions (`spec.access.questions`): a
 * text field, a select or a checkbox per question, with the messages of
 * `validateAccessAnswers` under the fields they name.
 */
export const AccessQuestionFields = (props: {
  questions: ModelAccessQuestion[];
  answers: ModelAccessAnswers;
  /** Messages by question id. */
  errors: Record<string, string>;
  onChange: (answers: ModelAccessAnswers) => void;
}) => {
  const { questions, answers, errors, onChange } = props;
  const set = (id: string, value: string | boolean) =>
    onChange({ ...answers, [id]: value });
  return (
    <>
      {questions.map(q => {
        const id = `model-request-answer-${q.id}`;
        const error = errors[q.id];
        if (q.type === 'checkbox') {
          return (
            <FormControl key={q.id} error={!!error} margin="dense" fullWidth>
              <FormControlLabel
                control={
                  <Checkbox
                    id={id}
                    color="primary"
                    checked={answers[q.id] === true}
                    onChange={e => set(q.id, e.target.checked)}
                  />
                }
                label={`${q.label}${q.required ? ' *' : ''}`}
              />
              {(error ?? q.help) && (
                <FormHelperText>{error ?? q.help}</FormHelperText>
              )}
            </FormControl>
          );
        }
        const value = typeof answers[q.id] === 'string' ? answers[q.id] : '';
        return (
          <TextField
            key={q.id}
            id={id}
            select={q.type === 'select'}
            fullWidth
            required={q.required}
            margin="normal"
            variant="outlined"
            label={q.label}
            value={value}
            onChange={e => set(q.id, e.target.value)}
            error={!!error}
            helperText={error ?? q.help}
            {...(q.type === 'select'
              ? {
                  SelectProps: {
                    SelectDisplayProps: { 'aria-label': q.label } as object,
                  },
                }
              : { inputProps: { maxLength: 2000 } })}
          >
            {(q.options ?? []).map(option => (
              <MenuItem key={option} value={option}>
                {option}
              </MenuItem>
            ))}
          </TextField>
        );
      })}
    </>
  );
};
