import { ModelCardReader } from './ModelCardReader';
import {
  AuditorService,
  BackstageCredentials,
  HttpAuthService,
  LoggerService,
  PermissionsRegistryService,
  PermissionsService,
} from '@backstage/backend-plugin-api';
import { parseEntityRef, stringifyEntityRef } from '@backstage/catalog-model';
import {
  ConflictError,
  InputError,
  NotAllowedError,
  NotFoundError,
} from '@backstage/errors';
import { catalogEntityReadPermission } from '@backstage/plugin-catalog-common/alpha';
import { NotificationService } from '@backstage/plugin-notifications-node';
import {
  AuthorizeResult,
  PolicyDecision,
} from '@backstage/plugin-permission-common';
import { createConditionAuthorizer } from '@backstage/plugin-permission-node';
import {
  DeploymentRecord,
  DeploymentStatusReader,
  ListModelsResponse,
  MODEL_FACET_FIELDS,
  MODEL_REQUEST_STATUSES,
  MODEL_SORT_ORDERS,
  ModelDetails,
  ModelRequest,
  modelDeploymentReadPermission,
  modelRequestCreatePermission,
  modelRequestDecidePermission,
  modelRequestReadPermission,
} from '@aic/plugin-model-marketplace-common';
import express from 'express';
import Router from 'express-promise-router';
import { z } from 'zod';
import { DeploymentStore } from '../database/DeploymentStore';
import { RequestStore } from '../database/RequestStore';
import { IndexedModel, ModelIndex } from '../index/ModelIndex';
import { modelApprovers, toGroupRef } from '../index/modelSummary';
import { matchesEntityConditions } from '../permissions/entityConditions';
import { modelRequestPermissionResourceRef } from '../permissions/rules';
import { CatalogMembership } from './CatalogMembership';
import { decodeCursor, encodeCursor, fingerprint } from './cursor';
import { parseInput, repeatable } from './parseQuery';
import { deploymentFollower } from './deploymentFollower';
import {
  deployedNotification,
  type NameOf,
  type NotificationPayload,
  requestCreatedNotification,
  requestDecidedNotification,
  rollbackFailedNotification,
  shortNameOf,
} from './notificationMessages';
import type { EntityDisplayNames } from './EntityDisplayNames';
import { rejectNulBytes } from './rejectNulBytes';
import { benchmarkModelMetric, listModelMetrics } from './metricBenchmark';
import { assertNotOwnRequest } from './separationOfDuties';
import type { DiscoveredDeployments } from './DiscoveredDeployments';

/** Dependencies of {@link createRouter}. */
export type RouterOptions = {
  logger: LoggerService;
  httpAuth: HttpAuthService;
  permissions: PermissionsService;
  permissionsRegistry: PermissionsRegistryService;
  auditor: AuditorService;
  notifications: NotificationService;
  membership: CatalogMembership;
  index: ModelIndex;
  requests: RequestStore;
  deployments: DeploymentStore;
  statusReader?: DeploymentStatusReader;
  /** Workloads found in the clusters that the marketplace did not create. */
  discovered?: DiscoveredDeployments;
  /** Reads model cards; without it the card route answers 404. */
  modelCards?: ModelCardReader;
  /** Display names for notifications; without it they use short entity names. */
  names?: EntityDisplayNames;
  /** How long a caller's catalog read decision is reused; default 5 s. */
  permissionDecisionTtlMs?: number;
};

const intParam = (min: number, max: number) =>
  z
    .string()
    .regex(/^\d+$/, 'must be a whole number')
    .transform(Number)
    .refine(n => n >= min && n <= max, `must be between ${min} and ${max}`);

const listModelsQuery = z
  .object({
    q: z.string().max(200).optional(),
    ...Object.fromEntries(
      MODEL_FACET_FIELDS.map(f => [f, repeatable.optional()]),
    ),
    sort: z.enum(MODEL_SORT_ORDERS).optional(),
    limit: intParam(1, 100).optional(),
    cursor: z.string().min(1).max(500).optional(),
  })
  .strict();

const createRequestBody = z
  .object({
    model: z.string().min(1).max(300),
    version: z.string().min(1).max(100).optional(),
    team: z.string().min(1).max(300),
    purpose: z.string().trim().min(1, 'is required').max(2000),
  })
  .strict();

const listRequestsQuery = z
  .object({
    role: z.enum(['requester', 'approver']).optional(),
    status: repeatable.pipe(z.array(z.enum(MODEL_REQUEST_STATUSES))).optional(),
    model: z.string().min(1).optional(),
    team: z.string().min(1).optional(),
    limit: intParam(1, 500).optional(),
    offset: intParam(0, 1_000_000).optional(),
  })
  .strict();

const decisionBody = z
  .object({
    decision: z.enum(['approve', 'reject']),
    comment: z.string().max(2000).optional(),
  })
  .strict();

const cancelBody = z
  .object({ comment: z.string().max(2000).optional() })
  .strict();

const deploymentStatus = z.enum([
  'deploying',
  'deployed',
  'failed',
  'rolled-back',
  'rollback-failed',
  'undeployed',
]);

const objectRef = z
  .object({
    apiVersion: z.string().min(1),
    kind: z.string().min(1),
    namespace: z.string().min(1),
    name: z.string().min(1),
  })
  .strict();

const createDeploymentBody = z
  .object({
    model: z.string().min(1),
    version: z.string().min(1),
    team: z.string().min(1),
    cluster: z.string().min(1),
    namespace: z.string().min(1),
    workload: z.string().min(1).max(253).optional(),
    objects: z.array(objectRef),
    status: deploymentStatus,
    endpoint: z.string().optional(),
    requestId: z.string().min(1).optional(),
    deployedBy: z.string().min(1),
    message: z.string().max(4000).optional(),
  })
  .strict();

const updateDeploymentBody = z
  .object({
    status: deploymentStatus,
    endpoint: z.string().optional(),
    objects: z.array(objectRef).optional(),
    message: z.string().max(4000).optional(),
    actor: z.string().min(1),
    expectedStatus: z.array(deploymentStatus).min(1).optional(),
  })
  .strict();

const listDeploymentHistoryQuery = z
  .object({
    model: z.string().min(1).optional(),
    team: z.string().min(1).optional(),
    deploymentId: z.string().min(1).max(36).optional(),
    limit: intParam(1, 500).optional(),
  })
  .strict();

const listDeploymentsQuery = z
  .object({
    model: z.string().min(1).optional(),
    team: z.string().min(1).optional(),
    status: repeatable.pipe(z.array(deploymentStatus)).optional(),
  })
  .strict();

/** Normalises `model:ns/name`, `ns/name` or `name` to a full model ref. */
function toModelRef(value: string): string {
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
function toTeamRef(value: string): string {
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

function safeGroupRef(value: string): string {
  try {
    return toGroupRef(value);
  } catch {
    return value.toLocaleLowerCase('en-US');
  }
}

/** The entity ref of the calling user, or undefined for other principals. */
function userRefOf(credentials: BackstageCredentials): string | undefined {
  const principal = credentials.principal as
    | { type?: string; userEntityRef?: string }
    | undefined;
  return principal?.type === 'user' ? principal.userEntityRef : undefined;
}

/** Builds the REST router of the model marketplace. */
export async function createRouter(
  options: RouterOptions,
): Promise<express.Router> {
  const {
    logger,
    httpAuth,
    permissions,
    permissionsRegistry,
    auditor,
    notifications,
    membership,
    index,
    requests,
    deployments,
    statusReader,
  } = options;
  const decisionTtlMs = options.permissionDecisionTtlMs ?? 5_000;

  const requestAuthorizer = createConditionAuthorizer(
    permissionsRegistry.getPermissionRuleset(modelRequestPermissionResourceRef),
  );

  // The catalog read decision of a caller, cached for a few seconds so that
  // browsing does not ask the permission backend on every keystroke.
  const readDecisions = new Map<
    string,
    { expires: number; decision: Promise<PolicyDecision> }
  >();
  function catalogReadDecision(
    credentials: BackstageCredentials,
  ): Promise<PolicyDecision> {
    const principal = credentials.principal as {
      type?: string;
      userEntityRef?: string;
      subject?: string;
    };
    const key = `${principal.type}:${
      principal.userEntityRef ?? principal.subject
    }`;
    const now = Date.now();
    const cached = readDecisions.get(key);
    if (cached && cached.expires > now) {
      return cached.decision;
    }
    const decision = permissions
      .authorizeConditional([{ permission: catalogEntityReadPermission }], {
        credentials,
      })
      .then(([d]) => d);
    decision.catch(() => readDecisions.delete(key));
    if (readDecisions.size > 10_000) {
      readDecisions.clear();
    }
    readDecisions.set(key, { expires: now + decisionTtlMs, decision });
    return decision;
  }

  /** Which indexed models the caller may read, following the catalog's permission. */
  async function modelVisibility(
    credentials: BackstageCredentials,
  ): Promise<(model: IndexedModel) => boolean> {
    const decision = await catalogReadDecision(credentials);
    if (decision.result === AuthorizeResult.ALLOW) {
      return () => true;
    }
    if (decision.result === AuthorizeResult.CONDITIONAL) {
      const conditions = decision.conditions;
      return model => matchesEntityConditions(model.entity, conditions);
    }
    return () => false;
  }

  async function findVisibleModel(
    credentials: BackstageCredentials,
    ref: string,
  ): Promise<IndexedModel> {
    await index.whenReady();
    const model = index.get(ref);
    if (!model || !(await modelVisibility(credentials))(model)) {
      throw new NotFoundError(`No model ${ref}`);
    }
    return model;
  }

  async function userClaims(userRef: string): Promise<string[]> {
    return [userRef, ...(await membership.groupsOf(userRef))];
  }

  /**
   * Sends a notification without holding up the response: the notifications
   * backend resolves groups to users, which can take a while.
   */
  function notify(
    entityRef: string[],
    refs: Array<string | undefined>,
    build: (nameOf: NameOf) => NotificationPayload,
    exclude?: string,
  ) {
    if (!entityRef.length) {
      return;
    }
    const names = options.names
      ? options.names.resolve(refs)
      : Promise.resolve(shortNameOf);
    names
      .then(nameOf => {
        const payload = build(nameOf);
        return notifications
          .send({
            recipients: {
              type: 'entity',
              entityRef,
              ...(exclude ? { excludeEntityRef: exclude } : {}),
            },
            payload: { topic: 'model-marketplace', ...payload },
          })
          .catch(error =>
            logger.warn(
              `Could not send notification "${payload.title}": ${error}`,
            ),
          );
      })
      .catch(error => logger.warn(`Could not build a notification: ${error}`));
  }

  async function readableRequest(
    credentials: BackstageCredentials,
    id: string,
  ) {
    const request = await requests.getRequest(id);
    if (!request) {
      throw new NotFoundError(`No request with id ${id}`);
    }
    const userRef = userRefOf(credentials);
    if (userRef) {
      const claims = await userClaims(userRef);
      const related =
        request.requester === userRef ||
        claims.includes(request.team) ||
        request.approvers.some(a => claims.includes(a));
      if (!related) {
        throw new NotFoundError(`No request with id ${id}`);
      }
    }
    return request;
  }

  async function authorizeBasic(
    credentials: BackstageCredentials,
    permission: typeof modelRequestReadPermission,
  ) {
    const [decision] = await permissions.authorize([{ permission }], {
      credentials,
    });
    if (decision.result !== AuthorizeResult.ALLOW) {
      throw new NotAllowedError(`Not allowed: ${permission.name}`);
    }
  }

  /** Moves the request of a deployment along when the deployment changes. */
  const followDeployment = deploymentFollower(requests);

  const router = Router();
  router.use(express.json({ limit: '256kb' }));
  rejectNulBytes(router, ['id', 'namespace', 'name']);

  router.get('/health', (_req, res) => {
    res.json({ status: 'ok', models: index.size });
  });

  router.get('/models', async (req, res) => {
    const credentials = await httpAuth.credentials(req, {
      allow: ['user', 'service'],
    });
    const query = parseInput(listModelsQuery, req.query, 'query');
    const filters: Record<string, string[]> = {};
    for (const field of MODEL_FACET_FIELDS) {
      const values = (query as Record<string, string[] | undefined>)[field];
      if (values?.length) {
        filters[field] = field === 'owner' ? values.map(safeGroupRef) : values;
      }
    }
    const q = query.q?.trim() || undefined;
    const sort = query.sort ?? (q ? 'relevance' : 'name');
    const limit = query.limit ?? 24;
    const print = fingerprint({ q, filters, sort });
    const offset = query.cursor ? decodeCursor(query.cursor, print) : 0;

    await index.whenReady();
    const visible = await modelVisibility(credentials);
    const result = index.search({ q, filters, sort, limit, offset }, visible);
    const body: ListModelsResponse = {
      ...result,
      ...(offset + limit < result.totalItems
        ? { nextCursor: encodeCursor(offset + limit, print) }
        : {}),
    };
    res.json(body);
  });

  router.get('/metrics', async (req, res) => {
    const credentials = await httpAuth.credentials(req, {
      allow: ['user', 'service'],
    });
    await index.whenReady();
    const visible = await modelVisibility(credentials);
    res.json(listModelMetrics(index.all().filter(visible)));
  });

  router.get('/metrics/:name', async (req, res) => {
    const credentials = await httpAuth.credentials(req, {
      allow: ['user', 'service'],
    });
    await index.whenReady();
    const visible = await modelVisibility(credentials);
    const body = benchmarkModelMetric(
      index.all().filter(visible),
      req.params.name,
    );
    if (body.items.length === 0) {
      throw new NotFoundError(`No model reports metric ${req.params.name}`);
    }
    res.json(body);
  });

  router.get('/models/:namespace/:name/card', async (req, res) => {
    const credentials = await httpAuth.credentials(req, {
      allow: ['user', 'service'],
    });
    const ref = toModelRef(`model:${req.params.namespace}/${req.params.name}`);
    const model = await findVisibleModel(credentials, ref);
    if (!options.modelCards) {
      throw new NotFoundError('Model cards are not available');
    }
    const markdown = await options.modelCards.read(model.entity);
    res.type('text/markdown').send(markdown);
  });

  router.get('/models/:namespace/:name', async (req, res) => {
    const credentials = await httpAuth.credentials(req, {
      allow: ['user', 'service'],
    });
    const ref = toModelRef(`model:${req.params.namespace}/${req.params.name}`);
    const model = await findVisibleModel(credentials, ref);
    const entity = model.entity;
    const approvers = modelApprovers(entity);
    const namespace = model.summary.namespace;
    const allowedGroups = entity.spec.access?.allowedGroups?.map(g =>
      toGroupRef(g, namespace),
    );
    let viewer: ModelDetails['viewer'] = {
      teams: [],
      canRequest: false,
      isApprover: false,
    };
    const userRef = userRefOf(credentials);
    if (userRef) {
      const groups = await membership.groupsOf(userRef);
      const claims = [userRef, ...groups];
      viewer = {
        teams: groups,
        canRequest:
          groups.length > 0 &&
          (model.summary.accessPolicy !== 'restricted' ||
            (allowedGroups ?? []).some(g => groups.includes(g))),
        isApprover: approvers.some(a => claims.includes(a)),
      };
    }
    const [requestCounts, deploymentCounts] = await Promise.all([
      requests.countByStatus(ref),
      deployments.countForModel(ref),
    ]);
    const body: ModelDetails = {
      model: model.summary,
      versions: entity.spec.versions,
      approvers,
      ...(allowedGroups ? { allowedGroups } : {}),
      ...(entity.spec.access?.termsUrl
        ? { termsUrl: entity.spec.access.termsUrl }
        : {}),
      requestCounts,
      deploymentCounts,
      viewer,
    };
    res.json(body);
  });

  router.post('/requests', async (req, res) => {
    const credentials = await httpAuth.credentials(req, { allow: ['user'] });
    const userRef = credentials.principal.userEntityRef;
    const body = parseInput(createRequestBody, req.body, 'request body');
    const modelRef = toModelRef(body.model);
    const team = toTeamRef(body.team);

    const model = await findVisibleModel(credentials, modelRef);
    const entity = model.entity;
    if (
      body.version &&
      !entity.spec.versions.some(v => v.version === body.version)
    ) {
      throw new InputError(
        `Model ${modelRef} has no version '${
          body.version
        }'; known versions: ${entity.spec.versions
          .map(v => v.version)
          .join(', ')}`,
      );
    }
    const groups = await membership.groupsOf(userRef);
    if (!groups.includes(team)) {
      throw new NotAllowedError(`You are not a member of ${team}`);
    }
    const [decision] = await permissions.authorize(
      [{ permission: modelRequestCreatePermission, resourceRef: modelRef }],
      { credentials },
    );
    if (decision.result !== AuthorizeResult.ALLOW) {
      throw new NotAllowedError(`You may not request ${modelRef}`);
    }
    const policy = model.summary.accessPolicy;
    if (policy === 'restricted') {
      const allowed = (entity.spec.access?.allowedGroups ?? []).map(g =>
        toGroupRef(g, model.summary.namespace),
      );
      if (!allowed.some(g => groups.includes(g))) {
        throw new NotAllowedError(
          `${modelRef} is restricted to members of ${
            allowed.join(', ') || 'no group'
          }`,
        );
      }
    }

    const approvers = modelApprovers(entity);
    const auditorEvent = await auditor.createEvent({
      eventId: 'request-create',
      severityLevel: 'medium',
      request: req,
      meta: { model: modelRef, team, accessPolicy: policy },
    });
    let created: ModelRequest;
    try {
      created = await requests.createRequest({
        model: modelRef,
        version: body.version,
        team,
        purpose: body.purpose,
        requester: userRef,
        accessPolicy: policy,
        approvers,
        autoApprove: policy === 'open',
      });
    } catch (error) {
      await auditorEvent.fail({ error: error as Error });
      throw error;
    }
    await auditorEvent.success({
      meta: { requestId: created.id, status: created.status },
    });
    index.addPopularity(modelRef);
    if (created.status === 'pending') {
      notify(
        approvers,
        [modelRef, team, userRef],
        nameOf =>
          requestCreatedNotification(nameOf, {
            id: created.id,
            model: modelRef,
            version: body.version,
            team,
            requester: userRef,
            purpose: body.purpose,
          }),
        userRef,
      );
    }
    res.status(201).json({ id: created.id, status: created.status });
  });

  router.get('/requests', async (req, res) => {
    const credentials = await httpAuth.credentials(req, {
      allow: ['user', 'service'],
    });
    const query = parseInput(listRequestsQuery, req.query, 'query');
    await authorizeBasic(credentials, modelRequestReadPermission);
    const base = {
      status: query.status,
      model: query.model ? toModelRef(query.model) : undefined,
      team: query.team ? toTeamRef(query.team) : undefined,
      limit: query.limit ?? 100,
      offset: query.offset ?? 0,
    };
    const userRef = userRefOf(credentials);
    if (userRef) {
      if (query.role === 'requester') {
        res.json(await requests.listRequests({ ...base, requester: userRef }));
        return;
      }
      const claims = await userClaims(userRef);
      if (query.role === 'approver') {
        res.json(
          await requests.listRequests({ ...base, approverRefs: claims }),
        );
        return;
      }
      res.json(
        await requests.listRequests({
          ...base,
          requester: userRef,
          approverRefs: claims,
          either: true,
        }),
      );
      return;
    }
    if (query.role) {
      throw new InputError(`'role' needs user credentials`);
    }
    res.json(await requests.listRequests(base));
  });

  router.get('/requests/:id', async (req, res) => {
    const credentials = await httpAuth.credentials(req, {
      allow: ['user', 'service'],
    });
    await authorizeBasic(credentials, modelRequestReadPermission);
    res.json(await readableRequest(credentials, req.params.id));
  });

  router.post('/requests/:id/decision', async (req, res) => {
    const credentials = await httpAuth.credentials(req, { allow: ['user'] });
    const userRef = credentials.principal.userEntityRef;
    const body = parseInput(decisionBody, req.body, 'request body');
    const request = await requests.getRequest(req.params.id);
    if (!request) {
      throw new NotFoundError(`No request with id ${req.params.id}`);
    }
    assertNotOwnRequest(request, userRef);
    const claims = await userClaims(userRef);
    if (!request.approvers.some(a => claims.includes(a))) {
      throw new NotAllowedError(
        `Only approvers of the request may decide it (${request.approvers.join(
          ', ',
        )})`,
      );
    }
    const [decision] = await permissions.authorizeConditional(
      [{ permission: modelRequestDecidePermission }],
      { credentials },
    );
    if (!requestAuthorizer(decision, request)) {
      throw new NotAllowedError('You may not decide this request');
    }
    const to = body.decision === 'approve' ? 'approved' : 'rejected';
    const auditorEvent = await auditor.createEvent({
      eventId: 'request-decide',
      severityLevel: 'medium',
      request: req,
      meta: {
        requestId: request.id,
        model: request.model,
        decision: body.decision,
      },
    });
    let updated: ModelRequest;
    try {
      updated = await requests.transition(request.id, {
        from: ['pending'],
        to,
        action: to,
        actor: userRef,
        comment: body.comment,
        isDecision: true,
      });
    } catch (error) {
      await auditorEvent.fail({ error: error as Error });
      throw error;
    }
    await auditorEvent.success({ meta: { status: updated.status } });
    notify(
      [request.requester],
      [request.model, request.team, userRef],
      nameOf =>
        requestDecidedNotification(nameOf, request, {
          status: to,
          actor: userRef,
          comment: body.comment,
        }),
    );
    res.json(updated);
  });

  router.post('/requests/:id/cancel', async (req, res) => {
    const credentials = await httpAuth.credentials(req, { allow: ['user'] });
    const userRef = credentials.principal.userEntityRef;
    const body = parseInput(cancelBody, req.body, 'request body');
    const request = await requests.getRequest(req.params.id);
    if (!request) {
      throw new NotFoundError(`No request with id ${req.params.id}`);
    }
    if (request.requester !== userRef) {
      throw new NotAllowedError('Only the requester may cancel a request');
    }
    const auditorEvent = await auditor.createEvent({
      eventId: 'request-cancel',
      severityLevel: 'low',
      request: req,
      meta: { requestId: request.id, model: request.model },
    });
    let updated: ModelRequest;
    try {
      updated = await requests.transition(request.id, {
        from: ['pending'],
        to: 'cancelled',
        action: 'cancelled',
        actor: userRef,
        comment: body.comment,
      });
    } catch (error) {
      await auditorEvent.fail({ error: error as Error });
      throw error;
    }
    await auditorEvent.success();
    res.json(updated);
  });

  router.get('/deployments', async (req, res) => {
    const credentials = await httpAuth.credentials(req, {
      allow: ['user', 'service'],
    });
    const query = parseInput(listDeploymentsQuery, req.query, 'query');
    await authorizeBasic(credentials, modelDeploymentReadPermission);
    const items = await deployments.listDeployments({
      model: query.model ? toModelRef(query.model) : undefined,
      team: query.team ? toTeamRef(query.team) : undefined,
      status: query.status,
    });
    if (statusReader) {
      await Promise.all(
        items.map(async item => {
          if (item.status !== 'undeployed' && item.objects.length) {
            item.live = await statusReader.read({
              cluster: item.cluster,
              namespace: item.namespace,
              objects: item.objects,
            });
          }
        }),
      );
    }
    const found = options.discovered
      ? await options.discovered.list({
          model: query.model ? toModelRef(query.model) : undefined,
          team: query.team ? toTeamRef(query.team) : undefined,
          status: query.status,
        })
      : [];
    res.json({
      items: [...items.map(item => ({ ...item, managed: true })), ...found],
    });
  });

  router.get('/deployments/history', async (req, res) => {
    const credentials = await httpAuth.credentials(req, {
      allow: ['user', 'service'],
    });
    const query = parseInput(listDeploymentHistoryQuery, req.query, 'query');
    await authorizeBasic(credentials, modelDeploymentReadPermission);
    const items = await deployments.listEvents({
      model: query.model ? toModelRef(query.model) : undefined,
      team: query.team ? toTeamRef(query.team) : undefined,
      deploymentId: query.deploymentId,
      limit: query.limit,
    });
    res.json({ items });
  });

  router.get('/deployments/:id', async (req, res) => {
    const credentials = await httpAuth.credentials(req, {
      allow: ['user', 'service'],
    });
    await authorizeBasic(credentials, modelDeploymentReadPermission);
    const record = await deployments.getDeployment(req.params.id);
    if (!record) {
      throw new NotFoundError(`No deployment with id ${req.params.id}`);
    }
    res.json(record);
  });

  router.post('/deployments', async (req, res) => {
    await httpAuth.credentials(req, { allow: ['service'] });
    const body = parseInput(createDeploymentBody, req.body, 'request body');
    const input = {
      ...body,
      model: toModelRef(body.model),
      team: toTeamRef(body.team),
    };
    if (input.requestId) {
      const request = await requests.getRequest(input.requestId);
      if (!request) {
        throw new InputError(`No request with id ${input.requestId}`);
      }
      if (request.model !== input.model || request.team !== input.team) {
        throw new InputError(
          `Request ${request.id} is for ${request.model} and ${request.team}`,
        );
      }
      if (!['approved', 'deployed'].includes(request.status)) {
        throw new ConflictError(
          `Request ${request.id} is ${request.status}, not approved`,
        );
      }
    }
    const auditorEvent = await auditor.createEvent({
      eventId: 'deployment-record',
      severityLevel: 'medium',
      request: req,
      meta: {
        action: 'create',
        model: input.model,
        team: input.team,
        cluster: input.cluster,
        namespace: input.namespace,
        status: input.status,
        actor: input.deployedBy,
      },
    });
    let movedRequest: ModelRequest | undefined;
    let record: DeploymentRecord;
    try {
      record = await deployments.createDeployment(input, async (trx, r) => {
        movedRequest = await followDeployment(trx, r, input.deployedBy);
      });
    } catch (error) {
      await auditorEvent.fail({ error: error as Error });
      throw error;
    }
    await auditorEvent.success({ meta: { deploymentId: record.id } });
    if (record.status === 'deployed') {
      const deployed = record;
      notify([record.team], [record.model, record.deployedBy], nameOf =>
        deployedNotification(nameOf, deployed, { byActor: true }),
      );
    }
    if (movedRequest) {
      logger.info(`Request ${movedRequest.id} is now ${movedRequest.status}`);
    }
    res.status(201).json(record);
  });

  router.patch('/deployments/:id', async (req, res) => {
    await httpAuth.credentials(req, { allow: ['service'] });
    const body = parseInput(updateDeploymentBody, req.body, 'request body');
    const auditorEvent = await auditor.createEvent({
      eventId: 'deployment-record',
      severityLevel: 'medium',
      request: req,
      meta: {
        action: 'update',
        deploymentId: req.params.id,
        status: body.status,
        actor: body.actor,
      },
    });
    let record: DeploymentRecord;
    try {
      record = await deployments.updateDeployment(
        req.params.id,
        body,
        async (trx, after, before) => {
          await followDeployment(trx, after, body.actor, before);
        },
      );
    } catch (error) {
      await auditorEvent.fail({ error: error as Error });
      throw error;
    }
    await auditorEvent.success();
    if (record.status === 'deployed') {
      const deployed = record;
      notify([record.team], [record.model], nameOf =>
        deployedNotification(nameOf, deployed),
      );
    }
    if (record.status === 'rollback-failed') {
      const failed = record;
      notify([record.team], [record.model], nameOf =>
        rollbackFailedNotification(failed, nameOf),
      );
    }
    res.json(record);
  });

  return router;
}
