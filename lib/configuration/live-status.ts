import type { Configuration } from "@/lib/configuration/load-configuration";

// Pure: the configuration page's live state as JSON. The status route sends it and the page's first
// render embeds it, so the server's first paint and every later poll go through the same shape.

/** A value as JSON.stringify leaves it: dates become ISO strings. */
export type Jsonify<T> = T extends Date
  ? string
  : T extends (infer Item)[]
    ? Jsonify<Item>[]
    : T extends object
      ? { [Key in keyof T]: Jsonify<T[Key]> }
      : T;

export type LiveStatus = Jsonify<Configuration> & {
  /** The server's clock when the snapshot was read: relative times are measured from it. */
  now: string;
};
export type LiveLocation = LiveStatus["locations"][number];
export type LiveRun = LiveLocation["runs"][number];

export function toLiveStatus(configuration: Configuration, now: Date): LiveStatus {
  return JSON.parse(JSON.stringify({ ...configuration, now })) as LiveStatus;
}

export function toDate(value: string | null | undefined): Date | null {
  return value ? new Date(value) : null;
}

/** Polling cadence: quick while a run moves, slower otherwise. */
export function pollDelayMs(status: Pick<LiveStatus, "locations">): number {
  return status.locations.some((location) => location.progress?.group === "active") ? 1500 : 3000;
}
