import type { Identified } from "./record-filter";

/** What a collection needs to know about its lazily generated records, without building them. */
export type GeneratedTraits = { status: string | null; createdAtMs: number; modifiedAtMs: number };

/**
 * A read-only, index-addressed set of generated records. Record `i` lives in location
 * `slotIds[i % slotIds.length]` (no location when `slotIds` is empty), its id sorts by index, its
 * createdAt does not decrease with the index, and its modifiedAt is less than `maxModifiedLagMs`
 * after its createdAt. These promises let a collection page through a million records cheaply.
 */
export type RecordSource<T extends Identified> = {
  count: number;
  slotIds: readonly string[];
  maxModifiedLagMs: number;
  idOf(index: number): string;
  indexOf(id: string): number | undefined;
  traitsOf(index: number): GeneratedTraits;
  build(index: number): T;
};

/** A source with no generated records, for stores that only hold what was created at run time. */
export function emptySource<T extends Identified>(): RecordSource<T> {
  return {
    count: 0,
    slotIds: [],
    maxModifiedLagMs: 0,
    idOf: () => {
      throw new Error("empty source has no records");
    },
    indexOf: () => undefined,
    traitsOf: () => {
      throw new Error("empty source has no records");
    },
    build: () => {
      throw new Error("empty source has no records");
    },
  };
}
