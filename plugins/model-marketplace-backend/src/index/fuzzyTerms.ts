/**
 * Typo tolerance for the full-text index: finds the terms of the index's
 * vocabulary within a small edit distance of a query term.
 *
 * Only plain words take part (letters and digits, at least
 * {@link MIN_FUZZY_LENGTH} characters, not all digits): hyphenated or dotted
 * compounds have their parts indexed as words anyway, and numbers are not
 * misspelt. Each such word is listed under its trigrams, with `^` and `$`
 * marking its start and end ("^wh", "whi", ..., "er$"), in one packed pair
 * of typed arrays. A query term collects the words sharing enough of its
 * trigrams and of nearly its length, and keeps those whose optimal string
 * alignment distance (Levenshtein plus the swap of two neighbouring
 * characters, the commonest typo: "whsiper") is within the bound.
 */

/** Query terms shorter than this are never expanded (too many near words). */
export const MIN_FUZZY_LENGTH = 4;
/** Longer query terms are not expanded either (not typed by hand). */
const MAX_FUZZY_LENGTH = 40;

/** Edit distance allowed for a query term of this length: 1, or 2 from 8 characters. */
export function allowedDistance(length: number): number {
  if (length < MIN_FUZZY_LENGTH || length > MAX_FUZZY_LENGTH) {
    return 0;
  }
  return length >= 8 ? 2 : 1;
}

const PLAIN_WORD = /^[\p{L}\p{N}]+$/u;
const ALL_DIGITS = /^\p{N}+$/u;

function isFuzzyWord(term: string) {
  return (
    term.length >= MIN_FUZZY_LENGTH &&
    term.length <= MAX_FUZZY_LENGTH + 2 &&
    PLAIN_WORD.test(term) &&
    !ALL_DIGITS.test(term)
  );
}

/** The distinct trigrams of `^term$`. */
function trigrams(term: string): string[] {
  const padded = `^${term}$`;
  const grams = new Set<string>();
  for (let i = 0; i + 3 <= padded.length; i++) {
    grams.add(padded.slice(i, i + 3));
  }
  return [...grams];
}

/**
 * Optimal string alignment distance of `a` and `b`, or `max + 1` as soon as
 * it is known to exceed `max`.
 */
export function boundedDistance(a: string, b: string, max: number): number {
  if (Math.abs(a.length - b.length) > max) {
    return max + 1;
  }
  const n = b.length;
  let twoBack = new Array<number>(n + 1).fill(0);
  let previous = Array.from({ length: n + 1 }, (_, j) => j);
  let current = new Array<number>(n + 1).fill(0);
  for (let i = 1; i <= a.length; i++) {
    current[0] = i;
    let rowMin = i;
    for (let j = 1; j <= n; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let d = Math.min(
        previous[j] + 1,
        current[j - 1] + 1,
        previous[j - 1] + cost,
      );
      if (
        i > 1 &&
        j > 1 &&
        a[i - 1] === b[j - 2] &&
        a[i - 2] === b[j - 1] &&
        twoBack[j - 2] + 1 < d
      ) {
        d = twoBack[j - 2] + 1;
      }
      current[j] = d;
      if (d < rowMin) {
        rowMin = d;
      }
    }
    if (rowMin > max) {
      return max + 1;
    }
    [twoBack, previous, current] = [previous, current, twoBack];
  }
  return previous[n];
}

/** A term of the vocabulary near a query term. */
export type FuzzyMatch = { term: number; distance: number };

/** The trigram index over the plain words of a sorted vocabulary. */
export class FuzzyTerms {
  private constructor(
    private readonly vocabulary: readonly string[],
    private readonly gramIds: ReadonlyMap<string, number>,
    private readonly offsets: Int32Array,
    private readonly terms: Int32Array,
    /** Scratch counters, one per vocabulary term, zero between calls. */
    private readonly shared: Uint8Array,
  ) {}

  static build(vocabulary: readonly string[]): FuzzyTerms {
    const lists: number[][] = [];
    const gramIds = new Map<string, number>();
    vocabulary.forEach((term, k) => {
      if (!isFuzzyWord(term)) {
        return;
      }
      for (const gram of trigrams(term)) {
        let id = gramIds.get(gram);
        if (id === undefined) {
          id = lists.length;
          gramIds.set(gram, id);
          lists.push([]);
        }
        lists[id].push(k);
      }
    });
    const offsets = new Int32Array(lists.length + 1);
    let total = 0;
    lists.forEach((list, id) => {
      offsets[id] = total;
      total += list.length;
    });
    offsets[lists.length] = total;
    const terms = new Int32Array(total);
    lists.forEach((list, id) => terms.set(list, offsets[id]));
    return new FuzzyTerms(
      vocabulary,
      gramIds,
      offsets,
      terms,
      new Uint8Array(vocabulary.length),
    );
  }

  /**
   * The vocabulary's plain words within {@link allowedDistance} of `term`
   * (the term itself excluded), at most `limit` of them, nearest first.
   */
  near(term: string, limit = 50): FuzzyMatch[] {
    const max = allowedDistance(term.length);
    if (max === 0 || !PLAIN_WORD.test(term)) {
      return [];
    }
    const grams = trigrams(term);
    // a swap touches at most 4 trigrams, any other edit at most 3
    const needed = Math.max(1, grams.length - 4 * max);
    const { vocabulary, offsets, terms, shared } = this;
    const touched: number[] = [];
    for (const gram of grams) {
      const id = this.gramIds.get(gram);
      if (id === undefined) {
        continue;
      }
      for (let i = offsets[id]; i < offsets[id + 1]; i++) {
        const k = terms[i];
        if (shared[k] === 0) {
          touched.push(k);
        }
        if (shared[k] < 255) {
          shared[k] += 1;
        }
      }
    }
    const found: FuzzyMatch[] = [];
    for (const k of touched) {
      const count = shared[k];
      shared[k] = 0;
      const candidate = vocabulary[k];
      if (
        count >= needed &&
        candidate !== term &&
        Math.abs(candidate.length - term.length) <= max
      ) {
        const distance = boundedDistance(term, candidate, max);
        if (distance <= max) {
          found.push({ term: k, distance });
        }
      }
    }
    found.sort((x, y) => x.distance - y.distance || x.term - y.term);
    return found.slice(0, limit);
  }
}
