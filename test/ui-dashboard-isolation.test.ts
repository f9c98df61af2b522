// Dashboard reads: only members of an account see its installations, directory, history and audit
// log; the directory searches, filters, sorts and pages (keyset) on the server.
import { randomUUID } from "node:crypto";
import { beforeAll, describe, expect, it } from "vitest";
import { resolveAccountScope } from "@/lib/dashboard/account-scope";
import { listAuditEvents, AUDIT_PAGE_SIZE } from "@/lib/dashboard/audit-log";
import {
  DIRECTORY_PAGE_SIZE,
  parseDirectoryQuery,
  type DirectoryQuery,
} from "@/lib/dashboard/directory-query";
import { listDirectory } from "@/lib/dashboard/list-directory";
import { listInstallations } from "@/lib/dashboard/list-installations";
import { getSyncHistory } from "@/lib/dashboard/sync-history";
import { db } from "@/lib/db";
import { createInstallation, createUserWithAccount } from "./support/factories";

const DOWNTOWN = "665f0000000000000000000a";
const HARBOUR = "665f0000000000000000000b";
const MEMBERS_A = 60;

let alice: { userId: string; accountId: string; installationId: string };
let bob: { userId: string; accountId: string; installationId: string };
let secondAccountId: string;

async function seedMembers(installationId: string, count: number, prefix: string) {
  await db.member.createMany({
    data: Array.from({ length: count }, (_, index) => ({
      installationId,
      remoteId: `${prefix}-${String(index).padStart(3, "0")}`,
      // Duplicate names on purpose: the keyset must still be exact.
      name: `${prefix} Person ${String(Math.floor(index / 2)).padStart(3, "0")}`,
      email: `${prefix.toLowerCase()}${index}@example.com`,
      status: index % 5 === 0 ? "former" : "active",
      locationId: index % 3 === 0 ? HARBOUR : DOWNTOWN,
      data: {},
      updatedAt: new Date(Date.UTC(2026, 0, 1, 0, index)),
    })),
  });
}

beforeAll(async () => {
  const a = await createUserWithAccount({ accountName: "Alice Co" });
  const b = await createUserWithAccount({ accountName: "Bob Co" });
  const locations = [
    { id: DOWNTOWN, name: "Downtown" },
    { id: HARBOUR, name: "Harbour" },
  ];
  const installationA = await createInstallation({ accountId: a.account.id, locations });
  const installationB = await createInstallation({ accountId: b.account.id, locations });
  alice = { userId: a.user.id, accountId: a.account.id, installationId: installationA.installation.id };
  bob = { userId: b.user.id, accountId: b.account.id, installationId: installationB.installation.id };
  // Alice also belongs to a second account (read-only member), like the demo user.
  const second = await db.account.create({ data: { name: "Alice Second" } });
  secondAccountId = second.id;
  await db.accountMember.create({ data: { accountId: second.id, userId: alice.userId, role: "member" } });

  await seedMembers(alice.installationId, MEMBERS_A, "Alice");
  await seedMembers(bob.installationId, 10, "Bob");
  await db.company.create({
    data: {
      installationId: alice.installationId,
      remoteId: "co-1",
      name: "Acme Labs",
      locationId: DOWNTOWN,
      status: "active",
      data: {},
    },
  });
  await db.member.update({
    where: { installationId_remoteId: { installationId: alice.installationId, remoteId: "Alice-001" } },
    data: { companyId: "co-1" },
  });
  await db.member.update({
    where: { installationId_remoteId: { installationId: alice.installationId, remoteId: "Alice-002" } },
    data: { deletedAt: new Date() },
  });
  await db.syncRun.createMany({
    data: [
      {
        installationId: alice.installationId,
        locationId: DOWNTOWN,
        kind: "full",
        trigger: "test",
        status: "succeeded",
        created: 40,
        updated: 2,
        deleted: 1,
        finishedAt: new Date(),
      },
      {
        installationId: bob.installationId,
        locationId: DOWNTOWN,
        kind: "full",
        trigger: "test",
        status: "succeeded",
        created: 10,
        finishedAt: new Date(),
      },
    ],
  });
  await db.auditEvent.createMany({
    data: [
      ...Array.from({ length: AUDIT_PAGE_SIZE + 5 }, (_, index) => ({
        accountId: alice.accountId,
        installationId: alice.installationId,
        actor: `user:${alice.userId}`,
        action: `alice.action.${index}`,
        createdAt: new Date(Date.UTC(2026, 0, 1, 0, 0, index)),
      })),
      {
        accountId: bob.accountId,
        installationId: bob.installationId,
        actor: "system",
        action: "bob.secret",
        createdAt: new Date(),
      },
    ],
  });
});

const query = (overrides: Partial<DirectoryQuery> = {}): DirectoryQuery => ({
  ...parseDirectoryQuery({}),
  ...overrides,
});

describe("account isolation", () => {
  const READS = {
    listInstallations: (userId: string, accountId: string) => listInstallations({ userId, accountId }),
    listDirectory: (userId: string, accountId: string) =>
      listDirectory({ userId, accountId, query: query() }),
    getSyncHistory: (userId: string, accountId: string) => getSyncHistory({ userId, accountId }),
    listAuditEvents: (userId: string, accountId: string) => listAuditEvents({ userId, accountId }),
    resolveAccountScope: (userId: string, accountId: string) =>
      resolveAccountScope({ userId, requestedAccountId: accountId }),
  };

  it.each(Object.keys(READS) as (keyof typeof READS)[])(
    "%s refuses an account the user is not a member of",
    async (name) => {
      await expect(READS[name](alice.userId, bob.accountId)).rejects.toMatchObject({ code: "forbidden" });
      await expect(READS[name](bob.userId, alice.accountId)).rejects.toMatchObject({ code: "forbidden" });
      // Unknown accounts answer the same, so ids cannot be probed.
      await expect(READS[name](alice.userId, randomUUID())).rejects.toMatchObject({ code: "forbidden" });
    },
  );

  it("each user sees only their own account's data", async () => {
    expect(
      (await listInstallations({ userId: alice.userId, accountId: alice.accountId })).map((row) => row.id),
    ).toEqual([alice.installationId]);
    const aliceDirectory = await listDirectory({
      userId: alice.userId,
      accountId: alice.accountId,
      query: query({ q: "person" }),
    });
    expect(aliceDirectory.total).toBe(MEMBERS_A - 1);
    expect(aliceDirectory.rows.every((row) => row.installationId === alice.installationId)).toBe(true);
    const bobDirectory = await listDirectory({
      userId: bob.userId,
      accountId: bob.accountId,
      query: query(),
    });
    expect(bobDirectory.total).toBe(10);
    expect(bobDirectory.rows.every((row) => row.name.startsWith("Bob"))).toBe(true);
    const audit = await listAuditEvents({ userId: alice.userId, accountId: alice.accountId });
    expect(audit.entries.some((entry) => entry.action === "bob.secret")).toBe(false);
    const history = await getSyncHistory({ userId: alice.userId, accountId: alice.accountId });
    expect(history.runs.map((run) => run.installationId)).toEqual([alice.installationId]);
  });

  it("a user in two accounts gets the first by default and each by ?account, with no data leaking between them", async () => {
    const scope = await resolveAccountScope({ userId: alice.userId });
    expect(scope?.accounts.map((account) => account.name)).toEqual(["Alice Co", "Alice Second"]);
    expect(scope?.current.id).toBe(alice.accountId);
    expect(
      (await resolveAccountScope({ userId: alice.userId, requestedAccountId: secondAccountId }))?.current,
    ).toMatchObject({
      name: "Alice Second",
      role: "member",
    });
    expect(await listInstallations({ userId: alice.userId, accountId: secondAccountId })).toEqual([]);
    expect(
      (await listDirectory({ userId: alice.userId, accountId: secondAccountId, query: query() })).total,
    ).toBe(0);
  });
});

describe("the directory", () => {
  const read = (overrides: Partial<DirectoryQuery>) =>
    listDirectory({ userId: alice.userId, accountId: alice.accountId, query: query(overrides) });

  it("pages forward and back with keyset cursors, every live member exactly once, in name order", async () => {
    const seen: string[] = [];
    let page = await read({});
    const pages = [page];
    seen.push(...page.rows.map((row) => row.remoteId));
    while (page.next) {
      page = await read({ after: page.next });
      pages.push(page);
      seen.push(...page.rows.map((row) => row.remoteId));
    }
    expect(pages.map((each) => each.rows.length)).toEqual([
      DIRECTORY_PAGE_SIZE,
      DIRECTORY_PAGE_SIZE,
      MEMBERS_A - 1 - 2 * DIRECTORY_PAGE_SIZE,
    ]);
    expect(new Set(seen).size).toBe(MEMBERS_A - 1);
    expect(seen).not.toContain("Alice-002");
    const names = pages.flatMap((each) => each.rows.map((row) => row.name));
    expect(names).toEqual([...names].sort((a, b) => a.localeCompare(b, "en")));
    expect(pages[0]!.previous).toBeNull();

    const back = await read({ before: pages[2]!.previous! });
    expect(back.rows.map((row) => row.remoteId)).toEqual(pages[1]!.rows.map((row) => row.remoteId));
    const first = await read({ before: back.previous! });
    expect(first.rows.map((row) => row.remoteId)).toEqual(pages[0]!.rows.map((row) => row.remoteId));
    expect(first.previous).toBeNull();
  });

  it("sorts by name descending and by most recently updated", async () => {
    const descending = await read({ sort: "-name" });
    expect(descending.rows[0]!.name).toBe("Alice Person 029");
    const recent = await read({ sort: "-updated" });
    expect(recent.rows[0]!.remoteId).toBe(`Alice-0${MEMBERS_A - 1}`);
    const nextRecent = await read({ sort: "-updated", after: recent.next! });
    expect(nextRecent.rows[0]!.updatedAt.getTime()).toBeLessThan(
      recent.rows[recent.rows.length - 1]!.updatedAt.getTime(),
    );
  });

  it("searches name or email case-insensitively, treating % and _ literally", async () => {
    expect((await read({ q: "alice7@EXAMPLE" })).rows.map((row) => row.remoteId)).toEqual(["Alice-007"]);
    expect((await read({ q: "person 01" })).total).toBe(20);
    expect((await read({ q: "%" })).total).toBe(0);
    expect((await read({ q: "_" })).total).toBe(0);
  });

  it("filters by location and status, and shows each row's location, status and company", async () => {
    const harbour = await read({ locationId: HARBOUR });
    expect(harbour.total).toBe(20);
    expect(harbour.rows.every((row) => row.locationName === "Harbour")).toBe(true);
    const former = await read({ status: "former" });
    expect(former.total).toBe(12);
    expect(former.rows.every((row) => row.status === "former")).toBe(true);
    const withCompany = await read({ q: "alice1@" });
    expect(withCompany.rows[0]).toMatchObject({
      companyName: "Acme Labs",
      locationName: "Downtown",
      status: "active",
      orgName: "Test Organisation",
    });
  });

  it("lists companies too", async () => {
    const companies = await read({ kind: "companies" });
    expect(companies.rows.map((row) => row.name)).toEqual(["Acme Labs"]);
  });

  it("ignores malformed URL parameters instead of failing", () => {
    expect(
      parseDirectoryQuery({
        kind: "secrets",
        sort: "drop table",
        after: "!!!",
        location: "a b",
        q: "x".repeat(500),
      }),
    ).toEqual({
      kind: "members",
      q: "x".repeat(100),
      sort: "name",
      locationId: null,
      status: null,
      after: null,
      before: null,
    });
  });
});

describe("history and audit log", () => {
  it("sums records per day for the chart", async () => {
    const history = await getSyncHistory({ userId: alice.userId, accountId: alice.accountId });
    expect(history.days).toHaveLength(14);
    expect(history.days[13]).toMatchObject({ records: 43, runs: 1 });
    expect(history.runs[0]).toMatchObject({ locationName: "Downtown", created: 40 });
  });

  it("pages the audit log newest first and names the actor", async () => {
    const first = await listAuditEvents({ userId: alice.userId, accountId: alice.accountId });
    expect(first.entries).toHaveLength(AUDIT_PAGE_SIZE);
    expect(first.entries[0]!.action).toBe(`alice.action.${AUDIT_PAGE_SIZE + 4}`);
    // The viewer is the actor here: the log says "You".
    expect(first.entries[0]!.actorLabel).toBe("You");
    expect(first.entries[0]!.sentence).toBe(`You: alice.action.${AUDIT_PAGE_SIZE + 4}`);
    const second = await listAuditEvents({
      userId: alice.userId,
      accountId: alice.accountId,
      before: first.nextBefore,
    });
    expect(second.entries.map((entry) => entry.action)).toEqual([
      "alice.action.4",
      "alice.action.3",
      "alice.action.2",
      "alice.action.1",
      "alice.action.0",
    ]);
    expect(second.nextBefore).toBeNull();
  });
});
