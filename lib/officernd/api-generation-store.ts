import "server-only";
import { db } from "@/lib/db";
import { env } from "@/lib/env";
import { log } from "@/lib/log";
import {
  nextV2AttemptAt,
  UNDECIDED,
  type ApiGeneration,
  type ApiMode,
  type StoredGeneration,
} from "@/lib/officernd/api-generation";

// The API generation remembered on the installation (Installation.apiGeneration, …Reason, …DecidedAt),
// and what the configuration page and the health details show about it.

export const API_GENERATION_COLUMNS = {
  apiGeneration: true,
  apiGenerationReason: true,
  apiGenerationDecidedAt: true,
} as const;

/** The installation's columns (select them with API_GENERATION_COLUMNS). */
export type StoredGenerationRow = {
  apiGeneration: string | null;
  apiGenerationReason: string | null;
  apiGenerationDecidedAt: Date | null;
};

function toStored(row: StoredGenerationRow | null): StoredGeneration {
  if (!row) return UNDECIDED;
  const generation = row.apiGeneration === "v1" || row.apiGeneration === "v2" ? row.apiGeneration : null;
  return { generation, reason: row.apiGenerationReason, decidedAt: row.apiGenerationDecidedAt };
}

export async function readStoredGeneration(installationId: string): Promise<StoredGeneration> {
  return toStored(
    await db.installation.findUnique({ where: { id: installationId }, select: API_GENERATION_COLUMNS }),
  );
}

export async function recordGeneration({
  installationId,
  generation,
  reason,
  now = new Date(),
}: {
  installationId: string;
  generation: ApiGeneration;
  reason: string;
  now?: Date;
}) {
  await db.installation.updateMany({
    where: { id: installationId },
    data: {
      apiGeneration: generation,
      apiGenerationReason: reason.slice(0, 500),
      apiGenerationDecidedAt: now,
    },
  });
  log.info({ installationId, generation, reason }, "officernd api generation decided");
}

export type ApiGenerationInfo = {
  mode: ApiMode;
  /** The generation in use; null until the first call to OfficeRnD decided it (auto). */
  generation: ApiGeneration | null;
  /** Why, in words ("OFFICERND_API=v1", "API v2 answered", "API v2 refused the scope …"). */
  reason: string;
  decidedAt: Date | null;
  /** auto on v1: when v2 is tried again. */
  nextV2AttemptAt: Date | null;
};

export async function getApiGenerationInfo(installationId: string): Promise<ApiGenerationInfo> {
  return infoOf(await readStoredGeneration(installationId));
}

/** The same, from the installation's columns already read. */
export function apiGenerationInfoOf(row: StoredGenerationRow | null): ApiGenerationInfo {
  return infoOf(toStored(row));
}

function infoOf(stored: StoredGeneration): ApiGenerationInfo {
  const mode = env().OFFICERND_API;
  if (mode !== "auto")
    return {
      mode,
      generation: mode,
      reason: `OFFICERND_API=${mode}`,
      decidedAt: null,
      nextV2AttemptAt: null,
    };
  return {
    mode,
    generation: stored.generation,
    reason:
      stored.reason ?? "Not decided yet: the first call to OfficeRnD tries API v2 and falls back to v1.",
    decidedAt: stored.decidedAt,
    nextV2AttemptAt: nextV2AttemptAt({ mode, stored }),
  };
}

/** One line for people: "OfficeRnD API: v1 (API v2 refused the scope …; v2 is tried again after …)". */
export function describeApiGeneration(info: ApiGenerationInfo): string {
  const retry = info.nextV2AttemptAt ? `; v2 is tried again after ${info.nextV2AttemptAt.toISOString()}` : "";
  return `OfficeRnD API: ${info.generation ?? "not decided yet"} (${info.reason.replace(/\.$/, "")}${retry})`;
}
