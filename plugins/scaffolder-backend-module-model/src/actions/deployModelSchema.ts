import { z as zod } from 'zod';

type Z = typeof zod;

/** Input fields of `model:deploy`, shared by the action and its re-parse. */
export const deployInputFields = {
  model: (z: Z) =>
    z
      .string()
      .min(1)
      .describe(
        'Entity ref of the Model to deploy, e.g. model:default/bge-large-en-v1-5',
      ),
  version: (z: Z) =>
    z
      .string()
      .min(1)
      .optional()
      .describe(
        "The model version to deploy; the model's default version when omitted",
      ),
  team: (z: Z) =>
    z
      .string()
      .min(1)
      .describe(
        'Entity ref of the team (Group) that owns the deployment; the user must be a member',
      ),
  namespace: (z: Z) =>
    z
      .string()
      .regex(/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/, 'must be a DNS label')
      .max(63)
      .describe(
        "Kubernetes namespace to deploy into; must be one of the team's namespaces",
      ),
  cluster: (z: Z) =>
    z
      .string()
      .min(1)
      .optional()
      .describe(
        "Name of a configured cluster; defaults to the cluster of the team's namespace entry, or the only configured cluster",
      ),
  replicas: (z: Z) =>
    z
      .number()
      .int()
      .min(1)
      .max(10)
      .optional()
      .describe(
        "Number of replicas (1-10); the model's minimum replicas when omitted",
      ),
  timeoutSeconds: (z: Z) =>
    z
      .number()
      .int()
      .min(1)
      .max(3600)
      .optional()
      .describe(
        'How long to wait for the rollout to become ready; default 300 seconds',
      ),
};

/** Output fields of `model:deploy`. */
export const deployOutputFields = {
  cluster: (z: Z) =>
    z.string().describe('The cluster the model was deployed to'),
  namespace: (z: Z) =>
    z.string().describe('The namespace the model was deployed to'),
  objects: (z: Z) =>
    z
      .array(
        z.object({
          apiVersion: z.string(),
          kind: z.string(),
          namespace: z.string(),
          name: z.string(),
        }),
      )
      .describe('The Kubernetes objects that serve the model'),
  endpoint: (z: Z) =>
    z.string().describe('Where the model answers inside the cluster'),
  deploymentId: (z: Z) =>
    z
      .string()
      .describe(
        'Id of the record in the deployments inventory ("dry-run" in a dry run)',
      ),
  rollbackFailed: (z: Z) =>
    z
      .array(
        z.object({
          apiVersion: z.string(),
          kind: z.string(),
          namespace: z.string(),
          name: z.string(),
        }),
      )
      .optional()
      .describe(
        'Only when a failed deploy could not delete what it created: the objects left in the cluster',
      ),
};

/** Input fields of `model:undeploy`. */
export const undeployInputFields = {
  model: deployInputFields.model,
  version: (z: Z) =>
    z
      .string()
      .min(1)
      .optional()
      .describe(
        "The deployed model version; the model's default version when omitted",
      ),
  team: deployInputFields.team,
  namespace: deployInputFields.namespace,
  cluster: deployInputFields.cluster,
  deploymentId: (z: Z) =>
    z
      .string()
      .min(1)
      .max(36)
      .optional()
      .describe(
        'Id of the inventory record whose objects are deleted; when omitted, the one live record of the model in this namespace (version narrows it)',
      ),
};

/** Output fields of `model:undeploy`. */
export const undeployOutputFields = {
  cluster: deployOutputFields.cluster,
  namespace: deployOutputFields.namespace,
  objects: (z: Z) =>
    z
      .array(
        z.object({
          apiVersion: z.string(),
          kind: z.string(),
          namespace: z.string(),
          name: z.string(),
        }),
      )
      .describe('The Kubernetes objects that were deleted'),
  deploymentId: (z: Z) =>
    z.string().describe('Id of the inventory record that was undeployed'),
};

/** Builds a zod object schema from field builders, for re-parsing. */
export function objectSchema<
  T extends Record<string, (z: Z) => zod.ZodTypeAny>,
>(fields: T) {
  return zod.object(
    Object.fromEntries(Object.entries(fields).map(([k, f]) => [k, f(zod)])) as {
      [K in keyof T]: ReturnType<T[K]>;
    },
  );
}

/**
 * The scaffolder hands each field builder its own copy of zod, which is not
 * type-compatible with this package's copy; the builders only call methods
 * both copies share, so they are passed through untyped. The handlers
 * re-parse their input with this package's zod, typed.
 */
export function scaffolderFields(
  fields: Record<string, (z: Z) => zod.ZodTypeAny>,
): Record<string, (z: any) => any> {
  return fields as Record<string, (z: any) => any>;
}

/**
 * Drops empty optional values a form leaves behind (`''`, `null`), so that
 * `version: ${{ parameters.version }}` with no version means "default".
 */
export function withoutEmptyValues(input: unknown): Record<string, unknown> {
  return Object.fromEntries(
    Object.entries((input ?? {}) as Record<string, unknown>).filter(
      ([, v]) => v !== '' && v !== null && v !== undefined,
    ),
  );
}
