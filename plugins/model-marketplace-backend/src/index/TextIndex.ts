import type { IndexedModel } from './indexedModel';
import { tokenize } from './tokenize';

/** Weights of the fields full text searches, per matching query term. */
const FIELD_WEIGHTS = {
  name: 8,
  title: 6,
  tags: 4,
  task: 3,
  owner: 2,
  description: 1,
} as const;

/** Documents matching every term of a text query, and their scores. */
export type TextScores = { candidates: number[]; score: Float64Array };

/**
 * The full-text part of the model index. Documents are known by their
 * position in the index's name order. For every token (by its position k in
 * the sorted vocabulary) the documents it occurs in are
 * `postingDocs[offsets[k] .. offsets[k + 1]]`, ascending, with the best
 * field weight of each in `postingWeights`: one pair of typed arrays for
 * every posting, a few bytes per entry instead of a Map's.
 */
export class TextIndex {
  private constructor(
    private readonly size: number,
    private readonly vocabulary: readonly string[],
    private readonly offsets: Int32Array,
    private readonly postingDocs: Int32Array,
    private readonly postingWeights: Uint8Array,
  ) {}

  /** Indexes `docs`; a document is known by its position in `docs`. */
  static build(docs: readonly IndexedModel[]): TextIndex {
    // postings are built as lists (documents arrive in order) and then
    // packed into typed arrays
    const building = new Map<string, { docs: number[]; weights: number[] }>();
    const add = (token: string, doc: number, weight: number) => {
      let p = building.get(token);
      if (!p) {
        p = { docs: [], weights: [] };
        building.set(token, p);
      }
      const last = p.docs.length - 1;
      if (last >= 0 && p.docs[last] === doc) {
        if (p.weights[last] < weight) {
          p.weights[last] = weight;
        }
      } else {
        p.docs.push(doc);
        p.weights.push(weight);
      }
    };
    docs.forEach((d, i) => {
      const { metadata } = d.entity;
      const fields: Array<[keyof typeof FIELD_WEIGHTS, string | undefined]> = [
        ['name', metadata.name],
        ['title', metadata.title],
        ['tags', d.facets.tag.join(' ')],
        ['task', d.facets.task[0]],
        ['owner', d.facets.owner[0]],
        ['description', metadata.description],
      ];
      for (const [field, text] of fields) {
        for (const token of tokenize(text)) {
          add(token, i, FIELD_WEIGHTS[field]);
        }
      }
    });
    const vocabulary = [...building.keys()].sort();
    const offsets = new Int32Array(vocabulary.length + 1);
    let total = 0;
    vocabulary.forEach((token, k) => {
      offsets[k] = total;
      total += building.get(token)!.docs.length;
    });
    offsets[vocabulary.length] = total;
    const postingDocs = new Int32Array(total);
    const postingWeights = new Uint8Array(total);
    vocabulary.forEach((token, k) => {
      const p = building.get(token)!;
      postingDocs.set(p.docs, offsets[k]);
      postingWeights.set(p.weights, offsets[k]);
    });
    return new TextIndex(
      docs.length,
      vocabulary,
      offsets,
      postingDocs,
      postingWeights,
    );
  }

  /**
   * Scores documents for a text query: every term must prefix-match a token
   * of the document; a document's score is the sum, over terms, of the best
   * field weight the term matched in (exact token matches count double).
   */
  score(q: string): TextScores {
    const terms = [...new Set(tokenize(q))];
    const { vocabulary, offsets, postingDocs, postingWeights } = this;
    const score = new Float64Array(this.size);
    let candidates: number[] = [];
    terms.forEach((term, t) => {
      const best = new Float64Array(this.size);
      const touched: number[] = [];
      for (
        let k = lowerBound(vocabulary, term);
        k < vocabulary.length && vocabulary[k].startsWith(term);
        k++
      ) {
        const bonus = vocabulary[k] === term ? 2 : 1;
        for (let i = offsets[k]; i < offsets[k + 1]; i++) {
          const doc = postingDocs[i];
          const value = postingWeights[i] * bonus;
          if (best[doc] === 0) {
            touched.push(doc);
          }
          if (best[doc] < value) {
            best[doc] = value;
          }
        }
      }
      if (t === 0) {
        candidates = touched;
      } else {
        candidates = candidates.filter(doc => best[doc] > 0);
      }
      for (const doc of candidates) {
        score[doc] += best[doc];
      }
    });
    return { candidates: terms.length ? candidates : [], score };
  }
}

function lowerBound(sorted: readonly string[], value: string): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (sorted[mid] < value) {
      lo = mid + 1;
    } else {
      hi = mid;
    }
  }
  return lo;
}
