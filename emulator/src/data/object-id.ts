import { randomBytes } from "node:crypto";

// Ids look like MongoDB ObjectIds: 24 hex characters, the first 8 being the creation time in seconds.
// Generated records use `<time><seed tag><org><kind><index>`, so their ids sort in index order and an
// index can be read back from an id. Records created at run time use `<time><process tag><counter>`;
// their time is "now", which is after every generated record, so they sort after them.

export const OBJECT_ID_PATTERN = /^[0-9a-f]{24}$/;

export const KIND = { organization: 0, location: 1, company: 2, member: 3, user: 9 } as const;
export type Kind = (typeof KIND)[keyof typeof KIND];

const INDEX_HEX_DIGITS = 10;

function hex(value: number, digits: number): string {
  return Math.floor(value).toString(16).padStart(digits, "0").slice(-digits);
}

export type GeneratedIdTag = { seed: number; org: number; kind: Kind };

export function generatedIdPrefixTag({ seed, org, kind }: GeneratedIdTag): string {
  return hex(seed & 0xff, 2) + hex(org, 2) + hex(kind, 2);
}

export function generatedId({
  seconds,
  tag,
  index,
}: {
  seconds: number;
  tag: string;
  index: number;
}): string {
  return hex(seconds, 8) + tag + hex(index, INDEX_HEX_DIGITS);
}

/** The index encoded in a generated id when its tag matches, else undefined. */
export function indexFromGeneratedId({ id, tag }: { id: string; tag: string }): number | undefined {
  if (!OBJECT_ID_PATTERN.test(id) || id.slice(8, 14) !== tag) return undefined;
  return Number.parseInt(id.slice(14), 16);
}

/** Makes fresh ids whose order follows creation order, even when the clock is shifted backwards. */
export class IdFactory {
  private readonly processTag = randomBytes(3).toString("hex");
  private counter = randomBytes(3).readUIntBE(0, 3);
  private lastSeconds = 0;

  next(nowSeconds: number): string {
    this.lastSeconds = Math.max(this.lastSeconds, nowSeconds);
    this.counter += 1;
    return hex(this.lastSeconds, 8) + this.processTag + hex(this.counter, INDEX_HEX_DIGITS);
  }
}
