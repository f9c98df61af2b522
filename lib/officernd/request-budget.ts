import "server-only";
import { preparedStatement, sqlPool } from "@/lib/sql-pool";

// A per-organisation request budget shared by every worker on every machine, kept in Postgres
// (`RateLimitBucket`, key `officernd-api:<slug>`). It is a GCRA ("leaky bucket as a meter"): the row's
// `resetAt` is the theoretical arrival time (TAT) of the next request; a request is allowed when the TAT
// is at most `burst` intervals ahead of now, and then pushes the TAT one interval further. One statement
// per request, no timers, and it survives any number of processes.

export type RequestBudget = {
  /** Waits until a request may be sent. */
  acquire: (signal?: AbortSignal) => Promise<void>;
  /** OfficeRnD said 429: make every worker wait at least this long before the next request. */
  penalize: (waitMs: number) => Promise<void>;
};

export type BudgetOptions = {
  orgSlug: string;
  perMinute: number;
  burst?: number;
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
  /** The process clock for the local reserve's age (tests pass a simulated one). */
  now?: () => number;
};

const DEFAULT_BURST = 10;

export function budgetKey(orgSlug: string): string {
  return `officernd-api:${orgSlug}`;
}

// $1 key, $2 seconds the request(s) move the TAT, $3 tolerance in seconds, $4 count, $5 the time (null:
// the database's clock, shared by every machine; tests pass a simulated one).
const TAKE_SQL = `
  WITH clock AS (SELECT COALESCE($5::timestamptz, now()) AS t),
  taken AS (
    INSERT INTO "RateLimitBucket" AS b ("key", "count", "resetAt")
    SELECT $1, $4::int, c.t + make_interval(secs => $2::float8) FROM clock c
    ON CONFLICT ("key") DO UPDATE
      SET "resetAt" = GREATEST(b."resetAt", (SELECT t FROM clock)) + make_interval(secs => $2::float8),
          "count" = b."count" % 1000000000 + $4::int
      WHERE GREATEST(b."resetAt", (SELECT t FROM clock)) - (SELECT t FROM clock) <= make_interval(secs => $3::float8)
    RETURNING 1
  )
  SELECT (SELECT count(*) FROM taken)::int AS taken`;
const TAKE = preparedStatement("request-budget-take", TAKE_SQL);

/**
 * Tries to take `count` requests at once (count ≤ burst); returns 0 when taken, else how many ms to
 * wait before trying again.
 */
export async function tryTakeRequest({
  key,
  intervalMs,
  burst,
  count = 1,
  at,
}: {
  key: string;
  intervalMs: number;
  burst: number;
  count?: number;
  /** Simulated time for tests; the database clock otherwise. */
  at?: Date;
}): Promise<number> {
  // Taking n at once moves the TAT n intervals, so it must be n−1 intervals further from the limit.
  const toleranceMs = intervalMs * (burst - count);
  const { rows } = await sqlPool().query<{ taken: number }>(
    TAKE([key, (intervalMs * count) / 1000, toleranceMs / 1000, count, at?.toISOString() ?? null]),
  );
  const row = rows[0];
  if (!row || row.taken > 0) return 0;
  // Refused: the statement's own snapshot predates the concurrent takes it waited for (it may not even
  // hold the row yet), so the wait is read by a second statement, which sees them committed.
  const aheadMs = await readAheadMs(key, at);
  return Math.max(1, Math.ceil(aheadMs - toleranceMs));
}

async function readAheadMs(key: string, at: Date | undefined): Promise<number> {
  const { rows } = await sqlPool().query<{ aheadMs: number | null }>(
    `SELECT extract(epoch FROM ("resetAt" - COALESCE($2::timestamptz, now()))) * 1000 AS "aheadMs" FROM "RateLimitBucket" WHERE "key" = $1`,
    [key, at?.toISOString() ?? null],
  );
  return Number(rows[0]?.aheadMs ?? 0);
}

/** Pushes the bucket's TAT to at least now + waitMs (a 429 applies to the whole organisation). */
export async function delayBucket({ key, waitMs }: { key: string; waitMs: number }): Promise<void> {
  await sqlPool().query(
    `INSERT INTO "RateLimitBucket" AS b ("key", "count", "resetAt")
     VALUES ($1, 0, now() + make_interval(secs => $2::float8))
     ON CONFLICT ("key") DO UPDATE SET "resetAt" = GREATEST(b."resetAt", EXCLUDED."resetAt")`,
    [key, waitMs / 1000],
  );
}

export function defaultSleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason as Error);
    const timer = setTimeout(() => {
      signal?.removeEventListener("abort", onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal?.reason as Error);
    };
    signal?.addEventListener("abort", onAbort, { once: true });
  });
}

/** Requests a process took from the bucket and has not spent yet; stale ones are dropped. */
type Reserve = { count: number; takenAt: number };

/** Unspent requests older than this are not spent any more (they would add to a later burst). */
const RESERVE_TTL_MS = 60_000;

const globalForBudget = globalThis as unknown as { officerndBudgetReserves?: Map<string, Reserve> };

/**
 * A budget of `perMinute` requests per organisation; 0 turns it off. Each process takes a few requests
 * per round trip (at most half the burst) and spends them locally, so the budget costs Postgres one
 * statement per few API requests rather than one per request. The requests taken but not yet spent
 * belong to the process, not to one run: every run of the organisation in this process draws from them,
 * so a run that ends leaves its remainder to the next one (per run, up to chunk − 1 requests of the
 * budget were lost at every run's end: bench:sync --budget).
 */
export function createRequestBudget({
  orgSlug,
  perMinute,
  burst = DEFAULT_BURST,
  sleep = defaultSleep,
  now = Date.now,
}: BudgetOptions): RequestBudget {
  const key = budgetKey(orgSlug);
  if (perMinute <= 0) return { acquire: async () => {}, penalize: async () => {} };
  const intervalMs = 60_000 / perMinute;
  const effectiveBurst = Math.max(1, Math.min(burst, perMinute));
  const chunk = Math.max(1, Math.floor(effectiveBurst / 2));
  globalForBudget.officerndBudgetReserves ??= new Map();
  const reserves = globalForBudget.officerndBudgetReserves;
  const reserveKey = `${key} ${perMinute} ${effectiveBurst}`;
  const takeReserved = (): boolean => {
    const reserve = reserves.get(reserveKey);
    if (!reserve || reserve.count <= 0 || now() - reserve.takenAt > RESERVE_TTL_MS) return false;
    reserve.count--;
    return true;
  };
  return {
    acquire: async (signal) => {
      for (;;) {
        if (takeReserved()) return;
        const waitMs = await tryTakeRequest({ key, intervalMs, burst: effectiveBurst, count: chunk });
        if (waitMs === 0) {
          // Added to what another run of this process may have taken meanwhile; this request is one of them.
          // The merged reserve keeps the older grant's time: renewing it would let that grant's
          // requests be spent after they expired.
          const at = now();
          const reserve = reserves.get(reserveKey);
          const isFresh =
            reserve !== undefined && reserve.count > 0 && at - reserve.takenAt <= RESERVE_TTL_MS;
          reserves.set(reserveKey, {
            count: (isFresh ? reserve.count : 0) + chunk - 1,
            takenAt: isFresh ? Math.min(reserve.takenAt, at) : at,
          });
          return;
        }
        await sleep(waitMs, signal);
      }
    },
    penalize: async (waitMs) => {
      // Requests taken before the 429 are not to be spent now either.
      reserves.delete(reserveKey);
      await delayBucket({ key, waitMs });
    },
  };
}
