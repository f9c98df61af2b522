import "server-only";
import { randomUUID } from "node:crypto";
import { sqlPool } from "@/lib/sql-pool";
import { defaultSleep, delayBucket, type RequestBudget } from "@/lib/officernd/request-budget";
import { OfficeRndError } from "@/lib/officernd/upstream-failures";

// OfficeRnD's token endpoint admits about 5 requests a minute per client (spec §1). Every token request
// of every process takes a slot from one GCRA row in RateLimitBucket, spaced 60/N s with no burst, and a
// queue of tickets gives a freed slot to the most urgent waiter: refreshes due within 5 minutes, then code
// exchanges (an admin is waiting), then early refreshes (only a spare slot, never waiting).

export type TokenPriority = "urgent" | "code" | "early";
const PRIORITY: Record<TokenPriority, number> = { urgent: 0, code: 1, early: 2 };

/** A waiter that stopped polling this long ago (a killed process) no longer holds its place. */
const TICKET_STALE_SECONDS = 10;
const POLL_MS = 250;

export function tokenBudgetKey(clientId: string): string {
  return `officernd-token:${clientId}`;
}

// $1 ticket, $2 bucket key, $3 interval s, $4 time (null: the database clock), $5 stale s, $6 idle s the
// bucket must show first (early refreshes leave the next slot to whoever needs it).
const TAKE_SQL = `
  WITH clock AS (SELECT COALESCE($4::timestamptz, now()) AS t),
  me AS (UPDATE "TokenRequestTicket" SET "heartbeatAt" = (SELECT t FROM clock) WHERE "id" = $1 RETURNING "priority", "createdAt"),
  ahead AS (
    SELECT count(*)::int AS n FROM "TokenRequestTicket" o, me
    WHERE o."id" <> $1 AND o."heartbeatAt" > (SELECT t FROM clock) - make_interval(secs => $5::float8)
      AND (o."priority" < me."priority" OR (o."priority" = me."priority" AND (o."createdAt", o."id") < (me."createdAt", $1::text)))
  ),
  taken AS (
    INSERT INTO "RateLimitBucket" AS b ("key", "count", "resetAt")
    SELECT $2, 1, c.t + make_interval(secs => $3::float8) FROM clock c WHERE (SELECT n FROM ahead) = 0
    ON CONFLICT ("key") DO UPDATE
      SET "resetAt" = GREATEST(b."resetAt", (SELECT t FROM clock)) + make_interval(secs => $3::float8), "count" = b."count" % 1000000000 + 1
      WHERE b."resetAt" <= (SELECT t FROM clock) - make_interval(secs => $6::float8)
    RETURNING 1
  )
  SELECT (SELECT count(*) FROM taken)::int AS taken, (SELECT n FROM ahead) AS ahead`;

export type TokenSlotOptions = {
  clientId: string;
  perMinute: number;
  priority: TokenPriority;
  /** Give up (OfficeRndError "busy") after waiting this long; early refreshes try once. */
  maxWaitMs: number;
  signal?: AbortSignal;
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
  /** Simulated time for tests; the database clock otherwise. */
  clock?: () => Date;
};

/** Waits for a slot in priority order; OfficeRndError("busy") with the expected wait. */
export async function takeTokenSlot(options: TokenSlotOptions): Promise<void> {
  const { clientId, perMinute, priority } = options;
  const sleep = options.sleep ?? defaultSleep;
  const intervalS = 60 / perMinute;
  const key = tokenBudgetKey(clientId);
  const ticket = randomUUID();
  const pool = sqlPool();
  const at = () => options.clock?.().toISOString() ?? null;
  await pool.query(
    `WITH gone AS (DELETE FROM "TokenRequestTicket" WHERE "heartbeatAt" < COALESCE($3::timestamptz, now()) - interval '1 minute')
     INSERT INTO "TokenRequestTicket" ("id", "priority", "createdAt", "heartbeatAt") VALUES ($1, $2, COALESCE($3::timestamptz, now()), COALESCE($3::timestamptz, now()))`,
    [ticket, PRIORITY[priority], at()],
  );
  const deadline = Date.now() + (priority === "early" ? 0 : options.maxWaitMs);
  try {
    for (;;) {
      const { rows } = await pool.query<{ taken: number; ahead: number }>(TAKE_SQL, [
        ticket,
        key,
        intervalS,
        at(),
        TICKET_STALE_SECONDS,
        priority === "early" ? intervalS : 0,
      ]);
      if ((rows[0]?.taken ?? 0) > 0) return;
      if (Date.now() >= deadline) {
        const waitMs = await expectedWaitMs({ key, ticket, intervalS, at: at() });
        throw new OfficeRndError(
          "busy",
          `OfficeRnD's sign-in service allows ${perMinute} requests a minute; none was free in time.`,
          {
            route: "POST /oauth/token",
            retryAfterMs: waitMs,
          },
        );
      }
      await sleep(
        Math.min(POLL_MS + Math.round(Math.random() * POLL_MS), Math.max(1, deadline - Date.now())),
        options.signal,
      );
    }
  } finally {
    await pool.query(`DELETE FROM "TokenRequestTicket" WHERE "id" = $1`, [ticket]).catch(() => {});
  }
}

/** Until the bucket frees, plus one interval per live waiter ahead of this ticket. */
async function expectedWaitMs({
  key,
  ticket,
  intervalS,
  at,
}: {
  key: string;
  ticket: string;
  intervalS: number;
  at: string | null;
}): Promise<number> {
  const { rows } = await sqlPool().query<{ bucketMs: number | null; ahead: number }>(
    `WITH clock AS (SELECT COALESCE($3::timestamptz, now()) AS t)
     SELECT (SELECT GREATEST(0, extract(epoch FROM ("resetAt" - (SELECT t FROM clock))) * 1000) FROM "RateLimitBucket" WHERE "key" = $1) AS "bucketMs",
            (SELECT count(*)::int FROM "TokenRequestTicket" o, "TokenRequestTicket" me
              WHERE me."id" = $2 AND o."id" <> $2 AND o."heartbeatAt" > (SELECT t FROM clock) - make_interval(secs => $4::float8)
                AND (o."priority" < me."priority" OR (o."priority" = me."priority" AND o."createdAt" < me."createdAt"))) AS "ahead"`,
    [key, ticket, at, TICKET_STALE_SECONDS],
  );
  const row = rows[0];
  return (
    Math.ceil(Number(row?.bucketMs ?? 0) + (row?.ahead ?? 0) * intervalS * 1000) ||
    Math.ceil(intervalS * 1000)
  );
}

/** The budget as the transport uses it: a 429 from the token endpoint holds every caller back. */
export function createTokenBudget(options: Omit<TokenSlotOptions, "signal">): RequestBudget {
  return {
    acquire: (signal) => takeTokenSlot({ ...options, signal }),
    penalize: (waitMs) => delayBucket({ key: tokenBudgetKey(options.clientId), waitMs }),
  };
}
