// The benchmark's baseline: the same rows written straight into Postgres with the same batched upsert,
// no API in between. The records come from the emulator's own generator (same seed and sizes), so
// they are byte for byte what the sync reads over HTTP.
import { createDataset } from "../../emulator/src/data/dataset.ts";
import { toSyncRow, type EntityKind } from "@/lib/sync/mapping";
import { writeRows } from "@/lib/sync/upsert";

export async function writeBaseline({
  installationId,
  org,
  seed,
  members,
  companies,
  locations,
  batchSize,
  parallelism,
}: {
  installationId: string;
  org: string;
  seed: number;
  members: number;
  companies: number;
  /** The emulator's --locations, so the generator spreads records exactly as the emulator did. */
  locations: number;
  batchSize: number;
  parallelism: number;
}): Promise<number> {
  const organization = createDataset({ seed, members, companies, locations }).organizations.get(org);
  if (!organization) throw new Error(`no organisation ${org}`);
  const locationIds = [...organization.locations.scan({}, { direction: "forward" })].map(
    (location) => location._id,
  );
  // One stream per location, `parallelism` at a time, like the worker's concurrent location runs.
  const streams = locationIds.map((locationId) => async () => {
    let written = await writeAll(
      "locations",
      organization.locations.scan({ ids: new Set([locationId]) }, { direction: "forward" }),
    );
    written += await writeAll(
      "companies",
      organization.companies.scan({ locations: new Set([locationId]) }, { direction: "forward" }),
    );
    written += await writeAll(
      "members",
      organization.members.scan({ locations: new Set([locationId]) }, { direction: "forward" }),
    );
    return written;
  });

  async function writeAll(kind: EntityKind, records: Iterable<{ _id: string }>): Promise<number> {
    let batch: ReturnType<typeof toSyncRow>[] = [];
    let written = 0;
    for (const record of records) {
      batch.push(toSyncRow(kind, record as never));
      if (batch.length === batchSize) {
        written += (await writeRows({ kind, installationId, rows: batch })).rows;
        batch = [];
      }
    }
    if (batch.length > 0) written += (await writeRows({ kind, installationId, rows: batch })).rows;
    return written;
  }

  let total = 0;
  let next = 0;
  await Promise.all(
    Array.from({ length: parallelism }, async () => {
      while (next < streams.length) {
        const written = await streams[next++]!();
        total += written;
      }
    }),
  );
  return total;
}
