import {
  MODEL_FACET_FIELDS,
  ModelFacetField,
} from '@aic/plugin-model-marketplace-common';
import type { IndexedModel } from './indexedModel';

/**
 * The facet values of one field, numbered: the values of document `d` are
 * `ids[offsets[d] .. offsets[d + 1]]`, indexes into `values`.
 */
export type FacetColumn = {
  /** The distinct values as the entities spell them, by id. */
  readonly values: readonly string[];
  /** The same, lower-cased, by id: what filters compare. */
  readonly keys: readonly string[];
  readonly offsets: Int32Array;
  readonly ids: Int32Array;
};

/**
 * The facet values of every document as numbers, so that a search filters
 * by looking up a byte and counts by incrementing an integer, instead of
 * hashing strings for each candidate document.
 */
export class FacetTable {
  private constructor(
    readonly columns: Readonly<Record<ModelFacetField, FacetColumn>>,
  ) {}

  /** Numbers the facet values of `docs`, known by their position. */
  static build(docs: readonly IndexedModel[]): FacetTable {
    return FacetTable.empty().extend(docs);
  }

  /** A table of no documents. */
  private static empty(): FacetTable {
    const columns = {} as Record<ModelFacetField, FacetColumn>;
    for (const field of MODEL_FACET_FIELDS) {
      columns[field] = {
        values: [],
        keys: [],
        offsets: Int32Array.of(0),
        ids: new Int32Array(0),
      };
    }
    return new FacetTable(columns);
  }

  /**
   * This table followed by the values of `docs`, known by their position
   * plus the number of documents here; values already here keep their ids.
   */
  extend(docs: readonly IndexedModel[]): FacetTable {
    const columns = {} as Record<ModelFacetField, FacetColumn>;
    for (const field of MODEL_FACET_FIELDS) {
      const base = this.columns[field];
      const size = base.offsets.length - 1;
      const values = [...base.values];
      const keys = [...base.keys];
      const idOf = new Map(values.map((v, id) => [v, id]));
      const offsets = new Int32Array(size + docs.length + 1);
      offsets.set(base.offsets);
      let total = base.offsets[size];
      docs.forEach((doc, d) => {
        offsets[size + d] = total;
        total += doc.facets[field].length;
      });
      offsets[size + docs.length] = total;
      const ids = new Int32Array(total);
      ids.set(base.ids);
      let at = base.offsets[size];
      for (const doc of docs) {
        for (const value of doc.facets[field]) {
          let id = idOf.get(value);
          if (id === undefined) {
            id = values.length;
            idOf.set(value, id);
            values.push(value);
            keys.push(value.toLocaleLowerCase('en-US'));
          }
          ids[at++] = id;
        }
      }
      columns[field] = { values, keys, offsets, ids };
    }
    return new FacetTable(columns);
  }

  /**
   * For each field with wanted values (compared lower-cased), a byte per
   * value id: 1 for the values the filter accepts.
   */
  filters(wanted: Partial<Record<ModelFacetField, string[]>>): Array<{
    column: FacetColumn;
    field: ModelFacetField;
    accepts: Uint8Array;
  }> {
    return MODEL_FACET_FIELDS.filter(f => wanted[f]?.length).map(field => {
      const column = this.columns[field];
      const keys = new Set(
        wanted[field]!.map(v => v.toLocaleLowerCase('en-US')),
      );
      const accepts = new Uint8Array(column.values.length);
      column.keys.forEach((key, id) => {
        if (keys.has(key)) {
          accepts[id] = 1;
        }
      });
      return { column, field, accepts };
    });
  }
}
