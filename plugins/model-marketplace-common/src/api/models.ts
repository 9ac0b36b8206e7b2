/**
 * Types of the browse API: `GET /models` and `GET /models/:namespace/:name`.
 */
import type {
  ModelAccessPolicy,
  ModelAccessQuestion,
  ModelVersion,
} from '../entity/ModelEntityV1alpha1';
import type { ModelRequestStatus } from './requests';

/** The facets `GET /models` counts and filters on. @public */
export const MODEL_FACET_FIELDS = [
  'type',
  'task',
  'license',
  'owner',
  'lifecycle',
  'framework',
  'tag',
] as const;

/** @public */
export type ModelFacetField = (typeof MODEL_FACET_FIELDS)[number];

/** Sort orders of `GET /models`. @public */
export const MODEL_SORT_ORDERS = [
  'relevance',
  'name',
  'updated',
  'popular',
] as const;

/** @public */
export type ModelSortOrder = (typeof MODEL_SORT_ORDERS)[number];

/**
 * Query of `GET /models`. Facet filters are repeatable: values within one
 * facet are OR-ed, facets are AND-ed.
 *
 * @public
 */
export type ListModelsRequest = {
  /** Full text over name, title, description, tags, task and owner. */
  q?: string;
  type?: string[];
  task?: string[];
  license?: string[];
  /** Owner entity refs (`group:default/team-search`) or bare group names. */
  owner?: string[];
  lifecycle?: string[];
  framework?: string[];
  tag?: string[];
  /** Defaults to `relevance` with a `q`, `name` without. */
  sort?: ModelSortOrder;
  /** Page size, 1 to 100, default 24. */
  limit?: number;
  /** The `nextCursor` of the previous page. */
  cursor?: string;
};

/** A compact description of a model, as listed by `GET /models`. @public */
export type ModelSummary = {
  /** Entity ref, `model:default/name`. */
  ref: string;
  name: string;
  namespace: string;
  title?: string;
  /** Truncated to about 200 characters. */
  description?: string;
  type: string;
  task?: string;
  /** Owner entity ref, `group:default/team-search`. */
  owner: string;
  license?: string;
  lifecycle: string;
  framework?: string;
  parameters?: string;
  tags: string[];
  accessPolicy: ModelAccessPolicy;
  runtime?: string;
  defaultVersion?: string;
};

/** One value of a facet and how many models match with it. @public */
export type ModelFacetValue = {
  value: string;
  count: number;
};

/** Body of `GET /models`. @public */
export type ListModelsResponse = {
  items: ModelSummary[];
  /** How many models match in total, across all pages. */
  totalItems: number;
  /**
   * Counts per facet value. The counts of facet F apply every filter except
   * F's own, so a user can see what widening a choice would give.
   */
  facets: Record<ModelFacetField, ModelFacetValue[]>;
  /** Present when there is a next page. */
  nextCursor?: string;
};

/** Body of `GET /models/:namespace/:name`. @public */
export type ModelDetails = {
  model: ModelSummary;
  versions: ModelVersion[];
  /** Entity refs of the groups or users that approve requests. */
  approvers: string[];
  /** With policy `restricted`: the groups that may request the model. */
  allowedGroups?: string[];
  termsUrl?: string;
  /** Extra questions the request dialog asks (`spec.access.questions`). */
  questions?: ModelAccessQuestion[];
  /** How many requests there are for the model, by status. */
  requestCounts: Record<ModelRequestStatus, number>;
  deploymentCounts: {
    /** Every recorded deployment, whatever its status. */
    total: number;
    /** Deployments with status `deploying` or `deployed`. */
    active: number;
  };
  /** What the calling user may do with the model. */
  viewer: {
    /** Entity refs of the groups the user is a member of. */
    teams: string[];
    /** Whether the user may request the model (access policy). */
    canRequest: boolean;
    /** Whether the user approves requests for the model. */
    isApprover: boolean;
    /**
     * The teams the user may deploy the model for, by the deploy guard's
     * rules; with none, `reason` says why. Absent from older backends.
     */
    deploy?: {
      teams: string[];
      reason?: string;
    };
  };
};
