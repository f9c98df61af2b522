// The directory at 100,000 members: correct totals, pages, filters and both sort ends. Timings and the
// query plan are printed for the record (never asserted: wall-clock times are not behaviour).
import { beforeAll, expect, it } from "vitest";
import { parseDirectoryQuery, type DirectoryQuery } from "@/lib/dashboard/directory-query";
import { listDirectory } from "@/lib/dashboard/list-directory";
import { db } from "@/lib/db";
import { createInstallation, createUserWithAccount } from "./support/factories";

const MEMBERS = 100_000;
const LOCATIONS = [
  "665f000000000000000000a1",
  "665f000000000000000000a2",
  "665f000000000000000000a3",
  "665f000000000000000000a4",
];

let userId: string;
let accountId: string;
let installationId: string;

beforeAll(async () => {
  const owner = await createUserWithAccount();
  ({ id: userId } = owner.user);
  accountId = owner.account.id;
  ({
    installation: { id: installationId },
  } = await createInstallation({
    accountId,
    locations: LOCATIONS.map((id, index) => ({ id, name: `Location ${index + 1}` })),
  }));
  await db.$executeRaw`
    INSERT INTO "Member" ("installationId", "remoteId", "locationId", "name", "email", "status", "data", "updatedAt")
    SELECT ${installationId}, 'm' || lpad(n::text, 6, '0'), (${LOCATIONS}::text[])[1 + n % 4], 'Member ' || lpad(n::text, 6, '0'),
           'member' || n || '@example.com', CASE WHEN n % 10 = 0 THEN 'former' ELSE 'active' END, '{}', now() - n * interval '1 second'
    FROM generate_series(1, ${MEMBERS}) AS n`;
  await db.$executeRaw`ANALYZE "Member"`;
}, 120_000);

async function timed(label: string, query: Partial<DirectoryQuery>) {
  const started = performance.now();
  const page = await listDirectory({ userId, accountId, query: { ...parseDirectoryQuery({}), ...query } });
  console.log(
    `directory at ${MEMBERS.toLocaleString("en")} members, ${label}: ${(performance.now() - started).toFixed(0)} ms`,
  );
  return page;
}

it("pages, sorts, filters and searches 100,000 members on the server", async () => {
  const first = await timed("first page by name", {});
  expect(first.total).toBe(MEMBERS);
  expect(first.rows.map((row) => row.remoteId).slice(0, 2)).toEqual(["m000001", "m000002"]);
  const second = await timed("next page (keyset)", { after: first.next! });
  expect(second.rows[0]!.remoteId).toBe("m000026");

  const last = await timed("first page by name, descending", { sort: "-name" });
  expect(last.rows[0]!.remoteId).toBe("m100000");
  const recent = await timed("most recently updated", { sort: "-updated" });
  expect(recent.rows[0]!.remoteId).toBe("m000001");

  const location = await timed("one location", { locationId: LOCATIONS[2]! });
  expect(location.total).toBe(MEMBERS / 4);
  expect(location.rows.every((row) => row.locationName === "Location 3")).toBe(true);

  const search = await timed("search", { q: "member 09999" });
  expect(search.rows.map((row) => row.remoteId)).toEqual([
    "m099990",
    "m099991",
    "m099992",
    "m099993",
    "m099994",
    "m099995",
    "m099996",
    "m099997",
    "m099998",
    "m099999",
  ]);
  const former = await timed("status former", { status: "former" });
  expect(former.total).toBe(MEMBERS / 10);

  const plan = await db.$queryRawUnsafe<{ "QUERY PLAN": string }[]>(
    `EXPLAIN ANALYZE SELECT "installationId","remoteId","name" FROM "Member" WHERE "installationId" = $1 AND "deletedAt" IS NULL AND "locationId" = $2
     ORDER BY "name", "installationId", "remoteId" LIMIT 26`,
    installationId,
    LOCATIONS[2],
  );
  console.log(plan.map((line) => line["QUERY PLAN"]).join("\n"));
}, 120_000);
