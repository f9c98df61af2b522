import "server-only";
import { describeProgress, type ProgressView } from "@/lib/configuration/describe-progress";
import { listRecentRuns } from "@/lib/sync/runs";

/** The location's newest run (runs without a location discover locations; they are not shown per card). */
export async function latestLocationRun(installationId: string, locationId: string) {
  const [latest] = await listRecentRuns(installationId, locationId, 1);
  return latest ?? null;
}

/** What the progress route answers for one location; callers have authorised the installation. */
export async function readLocationProgress({
  installationId,
  locationId,
  now = new Date(),
}: {
  installationId: string;
  locationId: string;
  now?: Date;
}): Promise<ProgressView | null> {
  const run = await latestLocationRun(installationId, locationId);
  return run ? describeProgress(run, now) : null;
}
