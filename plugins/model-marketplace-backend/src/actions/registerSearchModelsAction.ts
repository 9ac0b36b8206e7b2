import type { ActionsRegistryService } from '@backstage/backend-plugin-api/alpha';
import {
  MODEL_FACET_FIELDS,
  MODEL_SORT_ORDERS,
} from '@aic/plugin-model-marketplace-common';
import type { CallerApis } from './CallerApis';
import { inputSchema } from './inputSchema';
import { compactModel, modelSummarySchema, type Zod } from './schemas';

/** How many values of each facet the compact answer keeps. */
const FACET_VALUES = 8;

/** A facet filter: a list of values, OR-ed; facets are AND-ed. */
const facet = (z: Zod, what: string) =>
  z
    .array(z.string().min(1))
    .max(20)
    .optional()
    .describe(
      `Only models whose ${what} is one of these (OR within the list; different facets combine with AND)`,
    );

/** `search-models`: `GET /models` with its query, facets and sort. */
export function registerSearchModelsAction(
  registry: ActionsRegistryService,
  apis: CallerApis,
) {
  registry.register({
    name: 'search-models',
    title: 'Search models',
    description: [
      'Searches the AI model marketplace (the models of the Backstage catalog the user may see).',
      'Use it to find models by words (q) and to narrow by facets: type, task, license, owner, lifecycle, framework, tag.',
      'Returns compact model summaries (pass `ref` to get-model, compare-models, request-model or deploy-model), the total count, facet counts to refine the search, and a cursor for the next page.',
    ].join(' '),
    attributes: { readOnly: true, idempotent: true, destructive: false },
    schema: {
      input: z =>
        inputSchema(z, {
          q: z
            .string()
            .max(200)
            .optional()
            .describe(
              'Full text over name, title, description, tags, task and owner; prefixes match ("summar" finds summarisation)',
            ),
          type: facet(
            z,
            'type (llm, embedding, reranker, vision, speech, multimodal, classifier, ...)',
          ),
          task: facet(
            z,
            'Hugging Face task (text-generation, feature-extraction, automatic-speech-recognition, ...)',
          ),
          license: facet(z, 'licence (SPDX id such as apache-2.0 or mit)'),
          owner: facet(
            z,
            'owning group (entity ref group:default/team-search or bare name team-search)',
          ),
          lifecycle: facet(
            z,
            'lifecycle (production, experimental, deprecated)',
          ),
          framework: facet(z, 'framework (pytorch, onnx, tensorflow, ...)'),
          tag: facet(z, 'tags include a value (multilingual, code, ...)'),
          sort: z
            .enum(MODEL_SORT_ORDERS)
            .optional()
            .describe(
              'relevance (default with q), name (default without q), updated (newest first) or popular (most requested first)',
            ),
          limit: z
            .number()
            .int()
            .min(1)
            .max(100)
            .optional()
            .describe('Page size, 1 to 100; default 10'),
          cursor: z
            .string()
            .optional()
            .describe('nextCursor of the previous answer, for the next page'),
        }),
      output: z =>
        z.object({
          items: z
            .array(modelSummarySchema(z))
            .describe('The matching models of this page'),
          totalItems: z
            .number()
            .describe('How many models match in total, across pages'),
          facets: z
            .record(
              z.enum(MODEL_FACET_FIELDS),
              z.array(
                z.object({
                  value: z.string().describe('A facet value'),
                  count: z
                    .number()
                    .describe('How many models match with this value'),
                }),
              ),
            )
            .describe(
              `Per facet, the ${FACET_VALUES} most frequent values among the matches (each facet's counts ignore its own filter)`,
            ),
          nextCursor: z
            .string()
            .optional()
            .describe('Present when there are more results'),
        }),
    },
    action: async ({ input, credentials }) => {
      const page = await apis.asCaller(credentials, 'Search failed', o =>
        apis.marketplace.listModels({ limit: 10, ...input }, o),
      );
      const facets = Object.fromEntries(
        MODEL_FACET_FIELDS.map(f => [
          f,
          (page.facets[f] ?? []).slice(0, FACET_VALUES),
        ]),
      ) as typeof page.facets;
      return {
        output: {
          items: page.items.map(compactModel),
          totalItems: page.totalItems,
          facets,
          nextCursor: page.nextCursor,
        },
      };
    },
  });
}
