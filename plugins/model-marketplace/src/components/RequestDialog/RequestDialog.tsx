import { useEffect, useState } from 'react';
import { identityApiRef, useApi } from '@backstage/core-plugin-api';
import Button from '@material-ui/core/Button';
import Dialog from '@material-ui/core/Dialog';
import DialogActions from '@material-ui/core/DialogActions';
import DialogContent from '@material-ui/core/DialogContent';
import DialogContentText from '@material-ui/core/DialogContentText';
import DialogTitle from '@material-ui/core/DialogTitle';
import MenuItem from '@material-ui/core/MenuItem';
import TextField from '@material-ui/core/TextField';
import Alert from '@material-ui/lab/Alert';
import {
  type CreateModelRequestResponse,
  type ModelAccessAnswers,
  type ModelAccessPolicy,
  type ModelAccessQuestion,
  type ModelVersion,
  validateAccessAnswers,
} from '@aic/plugin-model-marketplace-common';
import { modelMarketplaceApiRef } from '../../api';
import { shortRef } from '../../util/refs';
import { defaultVersion } from '../../util/models';
import { AccessQuestionFields } from './AccessQuestionFields';

/** The longest purpose the backend accepts. */
export const MAX_PURPOSE_LENGTH = 2000;
/** A purpose shorter than this does not tell an approver anything. */
export const MIN_PURPOSE_LENGTH = 10;

export type RequestDialogProps = {
  open: boolean;
  onClose: () => void;
  onCreated?: (response: CreateModelRequestResponse) => void;
  modelRef: string;
  modelTitle: string;
  versions: ModelVersion[];
  accessPolicy?: ModelAccessPolicy;
  /**
   * Entity refs of the teams the user may request for. Defaults to the
   * groups among the user's ownership refs.
   */
  teams?: string[];
  /** The model's `spec.access.questions`, asked under the purpose. */
  questions?: ModelAccessQuestion[];
};

const NO_QUESTIONS: ModelAccessQuestion[] = [];

/** The messages of the access questions, by question id. */
function answerErrors(
  questions: ModelAccessQuestion[],
  answers: ModelAccessAnswers,
): Record<string, string> {
  const out: Record<string, string> = {};
  for (const e of validateAccessAnswers(questions, answers).errors) {
    const id = e.field.replace(/^answers\./, '');
    const question = questions.find(q => q.id === id);
    const text = e.message.replace(`${e.field} `, '');
    if (question?.type === 'checkbox' && question.required) {
      out[id] = 'Tick this to request the model';
    } else if (text.startsWith('is required')) {
      out[id] = 'Answer this to request the model';
    } else {
      out[id] = text.charAt(0).toLocaleUpperCase('en-US') + text.slice(1);
    }
  }
  return out;
}

type Errors = { team?: string; version?: string; purpose?: string };

/** Validates the request form; returns the messages to show. */
export function validateRequestForm(values: {
  team: string;
  version: string;
  purpose: string;
  teams: string[];
  versions: ModelVersion[];
}): Errors {
  const errors: Errors = {};
  if (!values.team) {
    errors.team = 'Choose the team that will use the model';
  } else if (!values.teams.includes(values.team)) {
    errors.team = 'You can only request for a team you are a member of';
  }
  if (
    values.version &&
    !values.versions.some(v => v.version === values.version)
  ) {
    errors.version = 'Choose one of the model’s versions';
  }
  const purpose = values.purpose.trim();
  if (!purpose) {
    errors.purpose = 'Say what your team will use the model for';
  } else if (purpose.length < MIN_PURPOSE_LENGTH) {
    errors.purpose = `Give the approvers a bit more to go on (at least ${MIN_PURPOSE_LENGTH} characters)`;
  } else if (purpose.length > MAX_PURPOSE_LENGTH) {
    errors.purpose = `Keep it under ${MAX_PURPOSE_LENGTH} characters (now ${purpose.length})`;
  }
  return errors;
}

/** Asks for a model on behalf of one of the user's teams. */
export const RequestDialog = (props: RequestDialogProps) => {
  const { open, onClose, onCreated, modelRef, modelTitle, versions } = props;
  const api = useApi(modelMarketplaceApiRef);
  const identityApi = useApi(identityApiRef);
  const [teams, setTeams] = useState<string[] | undefined>(props.teams);
  const [team, setTeam] = useState('');
  const [version, setVersion] = useState(
    defaultVersion(versions)?.version ?? '',
  );
  const [purpose, setPurpose] = useState('');
  const questions = props.questions ?? NO_QUESTIONS;
  const [answers, setAnswers] = useState<ModelAccessAnswers>({});
  const [touched, setTouched] = useState(false);
  const [submitting, setSubmitting] = useState(false);
  const [submitError, setSubmitError] = useState<Error | undefined>();
  const [created, setCreated] = useState<CreateModelRequestResponse>();

  useEffect(() => {
    if (props.teams) {
      setTeams(props.teams);
      return undefined;
    }
    if (!open) {
      return undefined;
    }
    let cancelled = false;
    identityApi.getBackstageIdentity().then(identity => {
      if (!cancelled) {
        setTeams(
          identity.ownershipEntityRefs.filter(ref =>
            ref.toLocaleLowerCase('en-US').startsWith('group:'),
          ),
        );
      }
    });
    return () => {
      cancelled = true;
    };
  }, [identityApi, props.teams, open]);

  useEffect(() => {
    if (teams?.length === 1 && !team) {
      setTeam(teams[0]);
    }
  }, [teams, team]);

  const errors = touched
    ? validateRequestForm({
        team,
        version,
        purpose,
        teams: teams ?? [],
        versions,
      })
    : {};
  const questionErrors = touched ? answerErrors(questions, answers) : {};

  const submit = async () => {
    setTouched(true);
    const found = validateRequestForm({
      team,
      version,
      purpose,
      teams: teams ?? [],
      versions,
    });
    const checked = validateAccessAnswers(questions, answers);
    if (Object.keys(found).length > 0 || checked.errors.length > 0) {
      return;
    }
    setSubmitting(true);
    setSubmitError(undefined);
    try {
      const response = await api.createRequest({
        model: modelRef,
        team,
        purpose: purpose.trim(),
        ...(version ? { version } : {}),
        ...(questions.length ? { answers: checked.answers } : {}),
      });
      setCreated(response);
      onCreated?.(response);
    } catch (e) {
      setSubmitError(e as Error);
    } finally {
      setSubmitting(false);
    }
  };

  const close = () => {
    setCreated(undefined);
    setSubmitError(undefined);
    setTouched(false);
    setPurpose('');
    setAnswers({});
    onClose();
  };

  return (
    <Dialog
      open={open}
      onClose={close}
      fullWidth
      maxWidth="sm"
      aria-labelledby="model-request-title"
    >
      <DialogTitle id="model-request-title">
        Request {modelTitle} for your team
      </DialogTitle>
      {created ? (
        <>
          <DialogContent>
            <Alert severity="success">
              {created.status === 'approved'
                ? 'The model is open to every team: your request is approved. You can deploy it now.'
                : 'Request sent. The approvers have been notified; you will hear when they decide.'}
            </Alert>
          </DialogContent>
          <DialogActions>
            <Button onClick={close} color="primary">
              Close
            </Button>
          </DialogActions>
        </>
      ) : (
        <>
          <DialogContent>
            <DialogContentText>
              {props.accessPolicy === 'open'
                ? 'This model is open: requests are approved at once.'
                : 'An approver reviews the request. Tell them why your team needs the model.'}
            </DialogContentText>
            {teams && teams.length === 0 && (
              <Alert severity="warning" style={{ marginBottom: 16 }}>
                You are not a member of any team, so you cannot request the
                model. Ask to be added to a group in the catalog.
              </Alert>
            )}
            <TextField
              select
              fullWidth
              required
              margin="normal"
              variant="outlined"
              id="model-request-team"
              label="Team"
              value={team}
              onChange={e => setTeam(e.target.value)}
              error={!!errors.team}
              helperText={
                errors.team ?? 'The team that will use and deploy the model'
              }
              SelectProps={{
                SelectDisplayProps: { 'aria-label': 'Team' },
              }}
            >
              {(teams ?? []).map(ref => (
                <MenuItem key={ref} value={ref}>
                  {shortRef(ref)}
                </MenuItem>
              ))}
            </TextField>
            <TextField
              select
              fullWidth
              margin="normal"
              variant="outlined"
              id="model-request-version"
              label="Version"
              value={version}
              onChange={e => setVersion(e.target.value)}
              error={!!errors.version}
              helperText={errors.version ?? 'The version the team will run'}
              SelectProps={{
                SelectDisplayProps: { 'aria-label': 'Version' },
              }}
            >
              {versions.map(v => (
                <MenuItem key={v.version} value={v.version}>
                  {v.version}
                  {v.default ? ' (default)' : ''}
                </MenuItem>
              ))}
            </TextField>
            <TextField
              fullWidth
              required
              multiline
              minRows={3}
              margin="normal"
              variant="outlined"
              id="model-request-purpose"
              label="Purpose"
              value={purpose}
              onChange={e => setPurpose(e.target.value)}
              error={!!errors.purpose}
              helperText={
                errors.purpose ??
                `What will the team use it for? ${
                  purpose.trim().length
                }/${MAX_PURPOSE_LENGTH}`
              }
            />
            <AccessQuestionFields
              questions={questions}
              answers={answers}
              errors={questionErrors}
              onChange={setAnswers}
            />
            {submitError && (
              <Alert severity="error" role="alert">
                Could not send the request: {submitError.message}
              </Alert>
            )}
          </DialogContent>
          <DialogActions>
            <Button onClick={close}>Cancel</Button>
            <Button
              onClick={submit}
              color="primary"
              variant="contained"
              disabled={submitting || teams?.length === 0}
            >
              {submitting ? 'Sending…' : 'Send request'}
            </Button>
          </DialogActions>
        </>
      )}
    </Dialog>
  );
};
