import {
  Entity,
  entityKindSchemaValidator,
  KubernetesValidatorFunctions,
  parseEntityRef,
} from '@backstage/catalog-model';
import { InputError } from '@backstage/errors';
import schema from './ModelEntityV1alpha1.schema.json';
import {
  MODEL_ARTIFACT_SCHEMES,
  ModelAccessQuestion,
  ModelEntityV1alpha1,
} from './ModelEntityV1alpha1';

const schemaValidator = entityKindSchemaValidator<ModelEntityV1alpha1>(
  schema as object,
);

/** Turns an ajv JSON pointer such as `/spec/versions/0` into `spec.versions[0]`. */
function pointerToField(pointer: string): string {
  return pointer
    .split('/')
    .filter(Boolean)
    .map(segment => segment.replace(/~1/g, '/').replace(/~0/g, '~'))
    .reduce(
      (path, segment) =>
        /^\d+$/.test(segment)
          ? `${path}[${segment}]`
          : `${path}${path ? '.' : ''}${segment}`,
      '',
    );
}

/**
 * Rewrites the first schema error of the catalog's validator into a sentence
 * that names the field, for example
 * `spec.versions[0].artifact is required` instead of
 * `/spec/versions/0 must have required property 'artifact' - missingProperty: artifact`.
 */
function describeSchemaError(message: string): string {
  const match = /^(\S+) (.*?)(?: - (.*))?$/.exec(message);
  if (!match) {
    return message;
  }
  const [, pointer, text, params = ''] = match;
  const field = pointer === '<root>' ? '' : pointerToField(pointer);
  const required = /missingProperty: (\S+)/.exec(params);
  if (required) {
    return `${field ? `${field}.` : ''}${required[1]} is required`;
  }
  const extra = /additionalProperty: (\S+)/.exec(params);
  if (extra) {
    return `${field ? `${field}.` : ''}${extra[1]} is not a known field`;
  }
  const allowed = /allowedValues: (.*)$/.exec(params);
  if (allowed) {
    return `${field} ${text}: ${allowed[1].split(',').join(', ')}`;
  }
  return `${field || 'entity'} ${text}`;
}

/** Fields that hold entity refs, with the kind a bare name stands for. */
const refFields: Array<{
  field: string;
  value: (e: ModelEntityV1alpha1) => string | string[] | undefined;
  defaultKind: string;
}> = [
  { field: 'spec.owner', value: e => e.spec.owner, defaultKind: 'group' },
  { field: 'spec.system', value: e => e.spec.system, defaultKind: 'system' },
  {
    field: 'spec.baseModel',
    value: e => e.spec.baseModel,
    defaultKind: 'model',
  },
  {
    field: 'spec.datasets',
    value: e => e.spec.datasets,
    defaultKind: 'resource',
  },
  {
    field: 'spec.access.approvers',
    value: e => e.spec.access?.approvers,
    defaultKind: 'group',
  },
  {
    field: 'spec.access.allowedGroups',
    value: e => e.spec.access?.allowedGroups,
    defaultKind: 'group',
  },
];

function checkEntityRef(field: string, value: string, defaultKind: string) {
  let parsed;
  try {
    parsed = parseEntityRef(value, {
      defaultKind,
      defaultNamespace: 'default',
    });
  } catch (error) {
    throw new InputError(
      `${field} "${value}" is not a valid entity reference: ${
        (error as Error).message
      }`,
    );
  }
  const { kind, namespace, name } = parsed;
  if (
    !KubernetesValidatorFunctions.isValidObjectName(name) ||
    !KubernetesValidatorFunctions.isValidNamespace(namespace) ||
    !/^[a-zA-Z][a-z0-9A-Z]*$/.test(kind)
  ) {
    throw new InputError(
      `${field} "${value}" is not a valid entity reference; expected [<kind>:][<namespace>/]<name> with a name of letters, digits, '-', '_' and '.'`,
    );
  }
}

function checkAccessQuestions(questions: ModelAccessQuestion[]) {
  const ids = new Map<string, number>();
  questions.forEach((question, i) => {
    const field = `spec.access.questions[${i}]`;
    const first = ids.get(question.id);
    if (first !== undefined) {
      throw new InputError(
        `${field}.id "${question.id}" is not unique: spec.access.questions[${first}] has the same id`,
      );
    }
    ids.set(question.id, i);
    if (question.type === 'select') {
      if (!question.options?.length) {
        throw new InputError(
          `${field}.options must list at least one value when ${field}.type is "select"`,
        );
      }
      const seen = new Set<string>();
      question.options.forEach((option, j) => {
        if (seen.has(option)) {
          throw new InputError(
            `${field}.options[${j}] "${option}" is listed twice`,
          );
        }
        seen.add(option);
      });
    } else if (question.options !== undefined) {
      throw new InputError(
        `${field}.options is only allowed when ${field}.type is "select"`,
      );
    }
  });
}

function checkRules(entity: ModelEntityV1alpha1) {
  const { spec } = entity;

  const seen = new Map<string, number>();
  let defaultIndex: number | undefined;
  spec.versions.forEach((v, i) => {
    const first = seen.get(v.version);
    if (first !== undefined) {
      throw new InputError(
        `spec.versions[${i}].version "${v.version}" is not unique: spec.versions[${first}] has the same version`,
      );
    }
    seen.set(v.version, i);

    if (v.default) {
      if (defaultIndex !== undefined) {
        throw new InputError(
          `spec.versions[${i}].default: at most one version may be the default, but spec.versions[${defaultIndex}] is the default too`,
        );
      }
      defaultIndex = i;
    }

    const scheme = /^([a-z][a-z0-9+.-]*):\/\/[^\s]+$/.exec(v.artifact)?.[1];
    if (!scheme) {
      throw new InputError(
        `spec.versions[${i}].artifact "${
          v.artifact
        }" is not a URI; expected <scheme>://<location> with scheme ${MODEL_ARTIFACT_SCHEMES.join(
          ', ',
        )}`,
      );
    }
    if (!(MODEL_ARTIFACT_SCHEMES as readonly string[]).includes(scheme)) {
      throw new InputError(
        `spec.versions[${i}].artifact has unsupported scheme "${scheme}://"; expected one of ${MODEL_ARTIFACT_SCHEMES.map(
          s => `${s}://`,
        ).join(', ')}`,
      );
    }
    if (v.created !== undefined && Number.isNaN(Date.parse(v.created))) {
      throw new InputError(
        `spec.versions[${i}].created "${v.created}" is not a valid date`,
      );
    }
  });

  for (const { field, value, defaultKind } of refFields) {
    const refs = value(entity);
    if (Array.isArray(refs)) {
      refs.forEach((ref, i) =>
        checkEntityRef(`${field}[${i}]`, ref, defaultKind),
      );
    } else if (refs !== undefined) {
      checkEntityRef(field, refs, defaultKind);
    }
  }

  if (
    spec.access?.policy === 'restricted' &&
    !(spec.access.allowedGroups && spec.access.allowedGroups.length > 0)
  ) {
    throw new InputError(
      'spec.access.allowedGroups must name at least one group when spec.access.policy is "restricted"',
    );
  }

  checkAccessQuestions(spec.access?.questions ?? []);

  const declared = new Map<string, number>();
  (spec.evaluation?.metrics ?? []).forEach((metric, i) => {
    const first = declared.get(metric.name);
    if (first !== undefined) {
      throw new InputError(
        `spec.evaluation.metrics[${i}].name "${metric.name}" is declared twice: spec.evaluation.metrics[${first}] declares it too`,
      );
    }
    declared.set(metric.name, i);
  });

  const replicas = spec.serving?.replicas;
  if (
    replicas?.min !== undefined &&
    replicas?.max !== undefined &&
    replicas.min > replicas.max
  ) {
    throw new InputError(
      `spec.serving.replicas.min (${replicas.min}) must not exceed spec.serving.replicas.max (${replicas.max})`,
    );
  }
}

/**
 * Validates an entity as a Model.
 *
 * Returns the entity typed as a Model when it is one, `false` when it is some
 * other kind, and throws an `InputError` naming the offending field when it
 * claims to be a Model but is malformed. Rules the JSON schema cannot express
 * (unique versions, at most one default, artifact URI schemes, entity-ref
 * syntax, a restricted policy with groups, the replica range) are checked too.
 *
 * @public
 */
export function validateModelEntity(
  entity: unknown,
): ModelEntityV1alpha1 | false {
  let model: ModelEntityV1alpha1 | false;
  try {
    model = schemaValidator(entity);
  } catch (error) {
    throw new InputError(
      `Invalid Model entity: ${describeSchemaError((error as Error).message)}`,
    );
  }
  if (!model) {
    return false;
  }
  try {
    checkRules(model);
  } catch (error) {
    throw new InputError(`Invalid Model entity: ${(error as Error).message}`);
  }
  return model;
}

/**
 * A catalog `KindValidator` for the Model kind.
 *
 * @public
 */
export const modelEntityV1alpha1Validator = {
  async check(entity: Entity): Promise<boolean> {
    return validateModelEntity(entity) !== false;
  },
};
