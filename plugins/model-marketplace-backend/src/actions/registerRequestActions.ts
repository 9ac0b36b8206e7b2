import type { ActionsRegistryService } from '@backstage/backend-plugin-api/alpha';
import { MODEL_REQUEST_STATUSES } from '@aic/plugin-model-marketplace-common';
import type { CallerApis } from './CallerApis';
import { inputSchema } from './inputSchema';
import { compactRequest, requestSchema } from './schemas';

/**
 * The request workflow: `request-model` (`POST /requests`), `list-requests`
 * (`GET /requests` twice: mine, and pending ones I decide) and
 * `decide-request` (`POST /requests/:id/decision`).
 */
export function registerRequestActions(
  registry: ActionsRegistryService,
  apis: CallerApis,
) {
  registry.register({
    name: 'request-model',
    title: 'Request a model for a team',
    description: [
      "Asks for access to a marketplace model for one of the user's teams; a team needs an approved request before it can deploy a model whose policy is approval or restricted.",
      "Models with policy open are approved at once; otherwise the request is pending until one of the model's approvers decides (never the requester).",
      'Fails when the user is not a member of the team, the policy is restricted to other groups, or the team already has an open request for the model.',
    ].join(' '),
    attributes: { readOnly: false, destructive: false, idempotent: false },
    schema: {
      input: z =>
        inputSchema(z, {
          model: z
            .string()
            .min(1)
            .describe(
              'The model: entity ref model:<namespace>/<name> or bare name',
            ),
          version: z
            .string()
            .min(1)
            .optional()
            .describe(
              'A version of the model; the default version when absent',
            ),
          team: z
            .string()
            .min(1)
            .describe(
              'The team the model is for: entity ref group:<namespace>/<name> or bare name of a group the user is a member of (see viewer.teams of get-model)',
            ),
          purpose: z
            .string()
            .min(1)
            .max(2000)
            .describe(
              'Why the team needs the model, for the approver (1 to 2000 characters)',
            ),
        }),
      output: z =>
        z.object({
          id: z.string().describe('Request id'),
          status: z
            .enum(MODEL_REQUEST_STATUSES)
            .describe('approved for open models, otherwise pending'),
        }),
    },
    action: async ({ input, credentials }) => ({
      output: await apis.asCaller(
        credentials,
        `Cannot request ${input.model} for ${input.team}`,
        o => apis.marketplace.createRequest(input, o),
      ),
    }),
  });

  registry.register({
    name: 'list-requests',
    title: 'List my requests and approvals waiting for me',
    description: [
      "Lists the model requests the user made (with their status and the approver's decision) and the pending requests of others that the user may approve or reject.",
      'Use it to check whether a request was approved before deploying, and to find requests to decide with decide-request.',
    ].join(' '),
    attributes: { readOnly: true, idempotent: true, destructive: false },
    schema: {
      input: z =>
        inputSchema(z, {
          status: z
            .array(z.enum(MODEL_REQUEST_STATUSES))
            .optional()
            .describe(
              "Only the user's own requests with one of these statuses",
            ),
          model: z
            .string()
            .min(1)
            .optional()
            .describe('Only requests for this model (entity ref)'),
          limit: z
            .number()
            .int()
            .min(1)
            .max(100)
            .optional()
            .describe(
              'At most this many of each list, newest first; default 20',
            ),
        }),
      output: z =>
        z.object({
          myRequests: z
            .array(requestSchema(z))
            .describe('Requests the user made, newest first'),
          awaitingMyDecision: z
            .array(requestSchema(z))
            .describe(
              'Pending requests by others that the user may decide, newest first',
            ),
        }),
    },
    action: async ({ input, credentials }) => {
      const limit = input.limit ?? 20;
      const [mine, toDecide] = await apis.asCaller(
        credentials,
        'Cannot list requests',
        o =>
          Promise.all([
            apis.marketplace.listRequests(
              {
                role: 'requester',
                status: input.status,
                model: input.model,
                limit,
              },
              o,
            ),
            apis.marketplace.listRequests(
              {
                role: 'approver',
                status: ['pending'],
                model: input.model,
                limit,
              },
              o,
            ),
          ]),
      );
      const me = apis.userRefOf(credentials);
      return {
        output: {
          myRequests: mine.items.map(compactRequest),
          // separation of duties: nobody decides their own request
          awaitingMyDecision: toDecide.items
            .filter(r => r.requester !== me)
            .map(compactRequest),
        },
      };
    },
  });

  registry.register({
    name: 'decide-request',
    title: 'Approve or reject a model request',
    description: [
      "Approves or rejects a pending model request. Only the model's approvers may decide, never the person who made the request;",
      'a decided request cannot be decided again. The requester is notified and the decision is audited.',
      'Find request ids with list-requests (awaitingMyDecision).',
    ].join(' '),
    // a decision is final: it cannot be undone or taken again
    attributes: { readOnly: false, destructive: true, idempotent: false },
    schema: {
      input: z =>
        inputSchema(z, {
          id: z.string().min(1).describe('The request id'),
          decision: z
            .enum(['approve', 'reject'])
            .describe('approve lets the team deploy the model; reject refuses'),
          comment: z
            .string()
            .max(2000)
            .optional()
            .describe('Why, for the requester (up to 2000 characters)'),
        }),
      output: z =>
        z.object({
          request: requestSchema(z).describe('The request after the decision'),
        }),
    },
    action: async ({ input, credentials }) => {
      const { id, ...decision } = input;
      const request = await apis.asCaller(
        credentials,
        `Cannot ${input.decision} request ${id}`,
        o => apis.marketplace.decideRequest(id, decision, o),
      );
      return { output: { request: compactRequest(request) } };
    },
  });
}
