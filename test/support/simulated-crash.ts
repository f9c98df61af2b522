import type { EngineDeps } from "@/lib/sync/engine";

/** What a run "killed" by crashAfterPages rejects with. */
export class SimulatedCrash extends Error {}

/** The engine's afterPage seam: stop abruptly after `pages` pages, as a killed worker would (no release). */
export function crashAfterPages(pages: number): NonNullable<EngineDeps["afterPage"]> {
  return (written) => {
    if (written >= pages) throw new SimulatedCrash(`crashed after ${written} pages`);
  };
}
