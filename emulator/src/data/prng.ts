// Deterministic pseudo-randomness. Generated records are a pure function of (seed, org, kind, index),
// so nothing about a million members has to be stored.

const TWO_POW_32 = 4_294_967_296;

/** Mixes any number of non-negative integers into one well-distributed uint32 (murmur3-style finaliser). */
export function hash32(...values: number[]): number {
  let h = 0x811c9dc5;
  for (const value of values) {
    h = mix(h ^ (value >>> 0));
    // Keep the high bits of values above 2^32 (large seeds) instead of silently dropping them.
    const high = Math.floor(value / TWO_POW_32);
    if (high !== 0) h = mix(h ^ (high >>> 0));
  }
  return h >>> 0;
}

function mix(input: number): number {
  let h = input >>> 0;
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  return (h ^ (h >>> 16)) >>> 0;
}

/** A number in [0, 1) from a hash. */
export function unit(hash: number): number {
  return hash / TWO_POW_32;
}

export function pick<T>(items: readonly T[], hash: number): T {
  const item = items[hash % items.length];
  if (item === undefined) throw new Error("pick from an empty list");
  return item;
}

/** Picks by cumulative weights, e.g. [["active", 0.85], ["former", 0.15]]. */
export function pickWeighted<T>(choices: ReadonlyArray<readonly [T, number]>, hash: number): T {
  let remaining = unit(hash);
  for (const [value, weight] of choices) {
    if (remaining < weight) return value;
    remaining -= weight;
  }
  const last = choices[choices.length - 1];
  if (!last) throw new Error("pickWeighted from an empty list");
  return last[0];
}

/** A small seeded generator (mulberry32) for sequences such as generated activity. */
export function createRandom(seed: number): () => number {
  let state = hash32(seed) || 1;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / TWO_POW_32;
  };
}
