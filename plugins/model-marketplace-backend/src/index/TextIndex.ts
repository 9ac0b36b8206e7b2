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

type Posting = Map<number, number>;

/**
 * The full-text part of the model index: for every token, the documents
 * (by position in the index's name order) and the best field weight it
 * appears with.
 */
export class TextIndex {
  private constructor(
    private readonly postings: Map<string, Posting>,
    private readonly vocabulary: string[],
  ) {}

  /** Indexes `docs`; a document is known by its position in `docs`. */
  static build(docs: readonly IndexedModel[]): TextIndex {
    const postings = new Map<string, Posting>();
    const add = (token: string, doc: number, weight: number) => {
      let posting = postings.get(token);
      if (!posting) {
        posting = new Map();
        postings.set(token, posting);
      }
      if ((posting.get(doc) ?? 0) < weight) {
        posting.set(doc, weight);
      }
    };
    docs.forEach((d, i) => {
      const { summary, entity } = d;
      const fields: Array<[keyof typeof FIELD_WEIGHTS, string | undefined]> = [
        ['name', summary.name],
        ['title', summary.title],
        ['tags', summary.tags.join(' ')],
        ['task', summary.task],
        ['owner', summary.owner],
        ['description', entity.metadata.description],
      ];
      for (const [field, text] of fields) {
        for (const token of tokenize(text)) {
          add(token, i, FIELD_WEIGHTS[field]);
        }
      }
    });
    return new TextIndex(postings, [...postings.keys()].sort());
  }

  /**
   * Scores documents for a text query: every term must prefix-match a token
   * of the document; a document's score is the sum, over terms, of the best
   * field weight the term matched in (exact token matches count double).
   */
  score(q: string): Map<number, number> {
    const terms = [...new Set(tokenize(q))];
    let result: Map<number, number> | undefined;
    for (const term of terms) {
      const termScores = new Map<number, number>();
      for (
        let k = lowerBound(this.vocabulary, term);
        k < this.vocabulary.length && this.vocabulary[k].startsWith(term);
        k++
      ) {
        const token = this.vocabulary[k];
        const bonus = token === term ? 2 : 1;
        for (const [doc, weight] of this.postings.get(token)!) {
          const score = weight * bonus;
          if ((termScores.get(doc) ?? 0) < score) {
            termScores.set(doc, score);
          }
        }
      }
      if (!result) {
        result = termScores;
      } else {
        const next = new Map<number, number>();
        for (const [doc, score] of result) {
          const s = termScores.get(doc);
          if (s !== undefined) {
            next.set(doc, score + s);
          }
        }
        result = next;
      }
      if (result.size === 0) {
        break;
      }
    }
    return result ?? new Map();
  }
}

function lowerBound(sorted: string[], value: string): number {
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
