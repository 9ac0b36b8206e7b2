/*
 * Output schemas shared by several actions. Every field has a description:
 * an agent reads them (as JSON schema) to understand what it got back.
 */
import type { z as zod } from 'zod/v3';
import {
  MODEL_ACCESS_POLICIES,
  MODEL_REQUEST_STATUSES,
  type DeploymentLiveState,
  type DeploymentRecord,
  type DeploymentRecordStatus,
  type ModelRequest,
  type ModelSummary,
} from '@aic/plugin-model-marketplace-common';

/** The zod namespace the actions registry hands to schema factories. */
export type Zod = typeof zod;

/** How long a description may be in compact results. */
const DESCRIPTION_CHARS = 160;

export const modelSummarySchema = (z: Zod) =>
  z.object({
    ref: z
      .string()
      .describe(
        'Entity ref of the model, `model:<namespace>/<name>`; pass it to the other tools',
      ),
    title: z.string().optional().describe('Display name'),
    description: z
      .string()
      .optional()
      .describe(
        `What the model is for, cut to ${DESCRIPTION_CHARS} characters`,
      ),
    type: z
      .string()
      .describe('Kind of model: llm, embedding, reranker, vision, speech, ...'),
    task: z
      .string()
      .optional()
      .describe('Hugging Face pipeline tag, e.g. text-generation'),
    owner: z.string().describe('Entity ref of the owning group'),
    license: z.string().optional().describe('SPDX id or licence name'),
    lifecycle: z.string().describe('production, experimental, deprecated, ...'),
    parameters: z
      .string()
      .optional()
      .describe('Parameter count as declared, e.g. "8B"'),
    tags: z.array(z.string()).describe('Free tags'),
    accessPolicy: z
      .enum(MODEL_ACCESS_POLICIES)
      .describe(
        'open: requests are approved at once; approval: an approver decides; restricted: only allowed groups may request',
      ),
    runtime: z
      .string()
      .optional()
      .describe('How it is served when deployed: kserve, vllm, tgi, container'),
    defaultVersion: z
      .string()
      .optional()
      .describe('The version used when none is named'),
  });

export function compactModel(
  m: ModelSummary,
): zod.infer<ReturnType<typeof modelSummarySchema>> {
  return {
    ref: m.ref,
    title: m.title,
    description:
      m.description && m.description.length > DESCRIPTION_CHARS
        ? `${m.description.slice(0, DESCRIPTION_CHARS - 1)}…`
        : m.description,
    type: m.type,
    task: m.task,
    owner: m.owner,
    license: m.license,
    lifecycle: m.lifecycle,
    parameters: m.parameters,
    tags: m.tags,
    accessPolicy: m.accessPolicy,
    runtime: m.runtime,
    defaultVersion: m.defaultVersion,
  };
}

export const requestSchema = (z: Zod) =>
  z.object({
    id: z.string().describe('Request id; pass it to decide-request'),
    model: z.string().describe('Entity ref of the requested model'),
    version: z
      .string()
      .optional()
      .describe('Requested version; absent means the default version'),
    team: z.string().describe('Entity ref of the team the model is for'),
    purpose: z.string().describe('Why the team needs the model'),
    status: z
      .enum(MODEL_REQUEST_STATUSES)
      .describe(
        'pending (waits for an approver), approved, rejected, cancelled, deployed, retired',
      ),
    requester: z.string().describe('Entity ref of the user who asked'),
    approvers: z
      .array(z.string())
      .describe('Entity refs of who may decide the request'),
    createdAt: z.string().describe('ISO timestamp of the request'),
    decidedBy: z
      .string()
      .optional()
      .describe('Entity ref of who approved or rejected it'),
    decidedAt: z.string().optional().describe('ISO timestamp of the decision'),
    decisionComment: z.string().optional().describe("The approver's comment"),
  });

export function compactRequest(
  r: ModelRequest,
): zod.infer<ReturnType<typeof requestSchema>> {
  return {
    id: r.id,
    model: r.model,
    version: r.version,
    team: r.team,
    purpose: r.purpose,
    status: r.status,
    requester: r.requester,
    approvers: r.approvers,
    createdAt: r.createdAt,
    decidedBy: r.decidedBy,
    decidedAt: r.decidedAt,
    decisionComment: r.decisionComment,
  };
}

export const DEPLOYMENT_STATUSES = [
  'deploying',
  'deployed',
  'failed',
  'rolled-back',
  'rollback-failed',
  'undeployed',
] as const satisfies readonly DeploymentRecordStatus[];

export const LIVE_STATES = [
  'ready',
  'progressing',
  'failed',
  'missing',
  'unknown',
] as const satisfies readonly DeploymentLiveState[];

export const deploymentSchema = (z: Zod) =>
  z.object({
    id: z
      .string()
      .describe('Deployment id (inventory record); pass it to undeploy-model'),
    model: z.string().describe('Entity ref of the deployed model'),
    version: z.string().describe('Deployed version'),
    team: z.string().describe('Entity ref of the owning team'),
    cluster: z.string().describe('Cluster name as configured in Backstage'),
    namespace: z.string().describe('Kubernetes namespace'),
    status: z
      .enum(DEPLOYMENT_STATUSES)
      .describe(
        'Inventory status: deploying, deployed, failed, rolled-back, rollback-failed',
      ),
    live: z
      .object({
        state: z
          .enum(LIVE_STATES)
          .describe(
            'What the cluster says right now: ready (serving), progressing (rolling out), failed, missing (objects gone), unknown (cluster unreachable)',
          ),
        message: z.string().optional().describe('Why, when not ready'),
        readyReplicas: z.number().optional().describe('Replicas ready'),
        desiredReplicas: z.number().optional().describe('Replicas wanted'),
        checkedAt: z.string().describe('ISO timestamp of the cluster read'),
      })
      .optional()
      .describe('Live status read from the cluster (cached for a few seconds)'),
    endpoint: z
      .string()
      .optional()
      .describe('In-cluster URL of the served model'),
    deployedBy: z.string().describe('Entity ref of who deployed it'),
    updatedAt: z.string().describe('ISO timestamp of the last change'),
    message: z
      .string()
      .optional()
      .describe('What went wrong, for failed deployments'),
  });

export function compactDeployment(
  d: DeploymentRecord,
): zod.infer<ReturnType<typeof deploymentSchema>> {
  return {
    id: d.id,
    model: d.model,
    version: d.version,
    team: d.team,
    cluster: d.cluster,
    namespace: d.namespace,
    status: d.status,
    live: d.live,
    endpoint: d.endpoint,
    deployedBy: d.deployedBy,
    updatedAt: d.updatedAt,
    message: d.message,
  };
}
