import { FuzzyTerms } from './fuzzyTerms';
import type { IndexedModel } from './indexedModel';
import { tokenize, wordKey } from './tokenize';

/** Weights of the fields full text searches, per matching query term. */
const FIELD_WEIGHTS = {
  name: 8,
  title: 6,
  tags: 4,
  task: 3,
  owner: 2,
  description: 1,
} as const;

/**
 * When the exact and prefix matching of a query finds fewer documents than
 * this, its terms are also matched to the words a typo or two away.
 */
const FUZZY_BELOW = 5;
/** Score multipliers of a term's match: whole token, prefix, 1 or 2 typos. */
const EXACT_BONUS = 2;
const PREFIX_BONUS = 1;
const TYPO_BONUS = [PREFIX_BONUS, 0.5, 0.25];
/** Added to the score of a document whose whole title or name is the query. */
const WHOLE_TITLE_BOOST = 1000;
/** Query terms past this many are ignored (`q` is at most 200 characters). */
const MAX_TERMS = 32;

/** Documents matching every term of a text query, and their scores. */
export type TextScores = { candidates: number[]; score: Float64Array };

/** What a search needs of full text: scores for a query. */
export type TextSearch = { score(q: string): TextScores };

/** How many typo matches of a query term are used, the nearest first. */
const FUZZY_LIMIT = 50;

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
    /** The id of the first document (documents are `firstId ..`). */
    private readonly firstId: number,
    private readonly size: number,
    private readonly vocabulary: readonly string[],
    private readonly offsets: Int32Array,
    private readonly postingDocs: Int32Array,
    private readonly postingWeights: Uint8Array,
    /** The documents by {@link wordKey} of their title and of their name. */
    private readonly wholeTitles: ReadonlyMap<string, number | number[]>,
    private readonly fuzzy: FuzzyTerms,
  ) {}

  /**
   * Indexes `docs`; a document is known by `firstId` plus its position in
   * `docs`.
   */
  static build(docs: readonly IndexedModel[], firstId = 0): TextIndex {
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
    const wholeTitles = new Map<string, number | number[]>();
    const addTitle = (text: string | undefined, doc: number) => {
      const key = wordKey(text);
      if (!key) {
        return;
      }
      const known = wholeTitles.get(key);
      if (known === undefined) {
        wholeTitles.set(key, doc);
      } else if (typeof known === 'number') {
        if (known !== doc) {
          wholeTitles.set(key, [known, doc]);
        }
      } else if (!known.includes(doc)) {
        known.push(doc);
      }
    };
    docs.forEach((d, at) => {
      const i = firstId + at;
      const { metadata } = d.entity;
      addTitle(metadata.title, i);
      addTitle(metadata.name, i);
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
      firstId,
      docs.length,
      vocabulary,
      offsets,
      postingDocs,
      postingWeights,
      wholeTitles,
      FuzzyTerms.build(vocabulary),
    );
  }

  /**
   * Scores documents for a text query: every term must prefix-match a token
   * of the document; a document's score is the sum, over terms, of the best
   * field weight the term matched in (exact token matches count double).
   * When that finds fewer than {@link FUZZY_BELOW} documents, terms also
   * match words one typo away (two from 8 characters), at a lower score.
   * A document whose whole title or name is the query (ignoring case and
   * punctuation) matches, and ranks above every other.
   */
  score(q: string): TextScores {
    return TextIndex.scoreAll([this], this.firstId + this.size, q);
  }

  /**
   * {@link TextIndex.score} over several indexes of disjoint documents
   * (ids below `size`) as if they were one, leaving out the documents
   * `dead` marks with 1: the same scores, candidates and typo matches as
   * one index built from the live documents.
   */
  static scoreAll(
    segments: readonly TextIndex[],
    size: number,
    q: string,
    dead?: Uint8Array,
  ): TextScores {
    const terms = [...new Set(tokenize(q))].slice(0, MAX_TERMS);
    let result = TextIndex.match(segments, size, terms, false, dead);
    if (terms.length && result.candidates.length < FUZZY_BELOW) {
      const typos = TextIndex.match(segments, size, terms, true, dead);
      if (typos.candidates.length > result.candidates.length) {
        result = typos;
      }
    }
    const key = wordKey(q);
    for (const segment of segments) {
      const whole = segment.wholeTitles.get(key);
      for (const doc of typeof whole === 'number' ? [whole] : whole ?? []) {
        if (dead?.[doc] === 1) {
          continue;
        }
        if (result.score[doc] === 0) {
          result.candidates.push(doc);
        }
        result.score[doc] += WHOLE_TITLE_BOOST;
      }
    }
    return result;
  }

  /** Whether a live document holds vocabulary term `k`. */
  private holds(k: number, dead?: Uint8Array): boolean {
    if (!dead) {
      return true;
    }
    for (let i = this.offsets[k]; i < this.offsets[k + 1]; i++) {
      if (dead[this.postingDocs[i]] !== 1) {
        return true;
      }
    }
    return false;
  }

  /**
   * The vocabulary terms of every segment a query term matches, with their
   * score multiplier. Typo matches are limited to the nearest
   * {@link FUZZY_LIMIT} distinct words (then in word order) that a live
   * document holds, as one index of the live documents would find them.
   */
  private static expand(
    segments: readonly TextIndex[],
    term: string,
    typos: boolean,
    dead?: Uint8Array,
  ): Array<[TextIndex, number, number]> {
    const matches: Array<[TextIndex, number, number]> = [];
    for (const segment of segments) {
      const { vocabulary } = segment;
      for (
        let k = lowerBound(vocabulary, term);
        k < vocabulary.length && vocabulary[k].startsWith(term);
        k++
      ) {
        const bonus = vocabulary[k] === term ? EXACT_BONUS : PREFIX_BONUS;
        matches.push([segment, k, bonus]);
      }
    }
    if (!typos) {
      return matches;
    }
    const near = new Map<string, { distance: number; at: number[][] }>();
    segments.forEach((segment, s) => {
      for (const { term: k, distance } of segment.fuzzy.near(term, Infinity)) {
        if (segment.holds(k, dead)) {
          const word = segment.vocabulary[k];
          const known = near.get(word);
          if (known) {
            known.at.push([s, k]);
          } else {
            near.set(word, { distance, at: [[s, k]] });
          }
        }
      }
    });
    const nearest = [...near].sort(
      ([a, x], [b, y]) => x.distance - y.distance || (a < b ? -1 : 1),
    );
    for (const [word, { distance, at }] of nearest.slice(0, FUZZY_LIMIT)) {
      if (!word.startsWith(term)) {
        for (const [s, k] of at) {
          matches.push([segments[s], k, TYPO_BONUS[distance]]);
        }
      }
    }
    return matches;
  }

  /** Adds the postings of term `k` to `best`, noting newly touched documents. */
  private collect(
    k: number,
    bonus: number,
    best: Float64Array,
    touched: number[],
    dead?: Uint8Array,
  ) {
    const { offsets, postingDocs, postingWeights } = this;
    for (let i = offsets[k]; i < offsets[k + 1]; i++) {
      const doc = postingDocs[i];
      if (dead?.[doc] === 1) {
        continue;
      }
      const value = postingWeights[i] * bonus;
      if (best[doc] === 0) {
        touched.push(doc);
      }
      if (best[doc] < value) {
        best[doc] = value;
      }
    }
  }

  private static match(
    segments: readonly TextIndex[],
    size: number,
    terms: string[],
    typos: boolean,
    dead?: Uint8Array,
  ): TextScores {
    const score = new Float64Array(size);
    const best = new Float64Array(size);
    let candidates: number[] = [];
    terms.forEach((term, t) => {
      const touched: number[] = [];
      for (const [segment, k, bonus] of TextIndex.expand(
        segments,
        term,
        typos,
        dead,
      )) {
        segment.collect(k, bonus, best, touched, dead);
      }
      if (t === 0) {
        candidates = touched;
      } else {
        // a document that drops out keeps no score: score > 0 is candidacy
        candidates = candidates.filter(doc => {
          if (best[doc] > 0) {
            return true;
          }
          score[doc] = 0;
          return false;
        });
      }
      for (const doc of candidates) {
        score[doc] += best[doc];
      }
      for (const doc of touched) {
        best[doc] = 0;
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
