import type {
  AuthService,
  BackstageCredentials,
} from '@backstage/backend-plugin-api';
import { parseEntityRef, stringifyEntityRef } from '@backstage/catalog-model';
import { InputError } from '@backstage/errors';
import { toGroupRef } from '../index/modelSummary';

/** Normalises `model:ns/name`, `ns/name` or `name` to a full model ref. */
export function toModelRef(value: string): string {
  let ref;
  try {
    ref = parseEntityRef(value, {
      defaultKind: 'model',
      defaultNamespace: 'default',
    });
  } catch (e) {
    throw new InputError(`Invalid model reference '${value}'`);
  }
  if (ref.kind.toLocaleLowerCase('en-US') !== 'model') {
    throw new InputError(`'${value}' is not a model reference`);
  }
  return stringifyEntityRef(ref);
}

/** Normalises a group ref or bare group name; throws InputError if it is not a group. */
export function toTeamRef(value: string): string {
  let ref: string;
  try {
    ref = toGroupRef(value);
  } catch (e) {
    throw new InputError(`Invalid team reference '${value}'`);
  }
  if (!ref.startsWith('group:')) {
    throw new InputError(`Team '${value}' is not a group reference`);
  }
  return ref;
}

/** Like {@link toTeamRef} for filters: an unparsable value is kept, lower-cased. */
export function safeGroupRef(value: string): string {
  try {
    return toGroupRef(value);
  } catch {
    return value.toLocaleLowerCase('en-US');
  }
}

/** The optional model and team filters of a listing, normalised. */
export function modelAndTeamFilter(query: { model?: string; team?: string }) {
  return {
    model: query.model ? toModelRef(query.model) : undefined,
    team: query.team ? toTeamRef(query.team) : undefined,
  };
}

/** The entity ref of the calling user, or undefined for other principals. */
export function userRefOf(
  auth: AuthService,
  credentials: BackstageCredentials,
): string | undefined {
  return auth.isPrincipal(credentials, 'user')
    ? credentials.principal.userEntityRef
    : undefined;
}

/** A key naming the caller, for caches of per-caller answers. */
export function principalKey(
  auth: AuthService,
  credentials: BackstageCredentials,
): string {
  if (auth.isPrincipal(credentials, 'user')) {
    return `user:${credentials.principal.userEntityRef}`;
  }
  if (auth.isPrincipal(credentials, 'service')) {
    return `service:${credentials.principal.subject}`;
  }
  return 'none';
}
