import type { IndexedModel } from './indexedModel';
import { FacetTable } from './FacetTable';
import type { SearchableIndex } from './searchIndex';
import { TextIndex } from './TextIndex';

const collator = new Intl.Collator('en-US');

/** The index's name order: sort name, then ref. */
export function byName(a: IndexedModel, b: IndexedModel): number {
  return (
    collator.compare(a.sortName, b.sortName) || collator.compare(a.ref, b.ref)
  );
}

/** A packed index of models in name order, built in one go. */
type Base = {
  readonly docs: readonly IndexedModel[];
  readonly text: TextIndex;
  readonly facets: FacetTable;
};

/**
 * The models of the index in two layers, so that a change costs in
 * proportion to its size rather than to the index's:
 *
 * - the base, packed and in name order, built from every model at the last
 *   compaction; models changed or removed since are marked dead in it;
 * - the overlay, the models added or changed since, indexed on their own
 *   with ids after the base's and a rank giving every model's place in the
 *   name order.
 *
 * A search reads both as one ({@link LayeredIndex.searchable}) and returns
 * exactly what an index built from the live models alone would. Values are
 * immutable: {@link LayeredIndex.withChanges} returns a new one.
 */
export class LayeredIndex {
  /** What searches read (without the request counts). */
  readonly searchable: Omit<SearchableIndex, 'popularity'>;
  /** The live models in name order. */
  readonly models: readonly IndexedModel[];

  private constructor(
    private readonly base: Base,
    /** 1 for each base model changed or removed since the compaction. */
    private readonly deadInBase: Uint8Array,
    private readonly deadCount: number,
    /** The models added or changed since, in name order. */
    private readonly overlay: readonly IndexedModel[],
  ) {
    const n = base.docs.length;
    if (!overlay.length && !deadCount) {
      this.searchable = {
        docs: base.docs,
        text: base.text,
        facets: base.facets,
      };
      this.models = base.docs;
      return;
    }
    const docs = base.docs.concat(overlay);
    const dead = new Uint8Array(docs.length);
    dead.set(deadInBase);
    const overlayText = TextIndex.build(overlay, n);
    const segments = [base.text, overlayText];
    // where each overlay model goes among the base models, then every
    // model's place in the merged order
    const rank = new Int32Array(docs.length);
    const models: IndexedModel[] = [];
    let r = 0;
    let j = 0;
    let insertAt = overlay.length ? lowerBound(base.docs, overlay[0]) : n;
    for (let i = 0; i <= n; i++) {
      while (j < overlay.length && insertAt <= i) {
        rank[n + j] = r++;
        models.push(overlay[j]);
        j += 1;
        insertAt =
          j < overlay.length ? lowerBound(base.docs, overlay[j], i) : n;
      }
      if (i < n) {
        rank[i] = r++;
        if (!deadInBase[i]) {
          models.push(base.docs[i]);
        }
      }
    }
    this.models = models;
    this.searchable = {
      docs,
      dead,
      rank,
      text: {
        score: q => TextIndex.scoreAll(segments, docs.length, q, dead),
      },
      facets: base.facets.extend(overlay),
    };
  }

  /** Packs `models` into a new base with no overlay. */
  static build(models: Iterable<IndexedModel>): LayeredIndex {
    const docs = [...models].sort(byName);
    const base: Base = {
      docs,
      text: TextIndex.build(docs),
      facets: FacetTable.build(docs),
    };
    return new LayeredIndex(base, new Uint8Array(docs.length), 0, []);
  }

  /** Number of live models. */
  get size(): number {
    return this.base.docs.length - this.deadCount + this.overlay.length;
  }

  /** Models in the overlay plus models dead in the base: what compaction would drop. */
  get overlaySize(): number {
    return this.overlay.length + this.deadCount;
  }

  /**
   * This index without the models `removed` (as held here) and with the
   * models `added`; only the overlay is indexed again, unless it would then
   * exceed `compactAbove` models (counting those dead in the base): then
   * every live model is packed into a new base.
   */
  withChanges(
    removed: readonly IndexedModel[],
    added: readonly IndexedModel[],
    compactAbove = Infinity,
  ): LayeredIndex {
    const deadInBase = this.deadInBase.slice();
    let deadCount = this.deadCount;
    const leaving = new Set<IndexedModel>();
    for (const model of removed) {
      // the base is in name order: its models are found by binary search
      const at = lowerBound(this.base.docs, model);
      if (this.base.docs[at] !== model) {
        leaving.add(model);
      } else if (deadInBase[at] === 0) {
        deadInBase[at] = 1;
        deadCount += 1;
      }
    }
    // a model may arrive and leave in one batch (two versions of one ref)
    const overlay = this.overlay.concat(added).filter(m => !leaving.has(m));
    if (overlay.length + deadCount > compactAbove) {
      return LayeredIndex.build(
        this.base.docs.filter((_, i) => !deadInBase[i]).concat(overlay),
      );
    }
    overlay.sort(byName);
    return new LayeredIndex(this.base, deadInBase, deadCount, overlay);
  }

  /** The same models packed into a new base. */
  compacted(): LayeredIndex {
    return LayeredIndex.build(this.models);
  }
}

/** The number of `sorted` models before `model` in name order, from `from`. */
function lowerBound(
  sorted: readonly IndexedModel[],
  model: IndexedModel,
  from = 0,
): number {
  let lo = from;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (byName(sorted[mid], model) < 0) {
      lo = mid + 1;
    } else {
      hi = mid;
    }
  }
  return lo;
}
