// Shared by the test/signed-*.test.ts files: installations to sign for, signed URLs, and a snapshot of
// everything a signed request could change (to prove that a refused one changed nothing).
import { db } from "@/lib/db";
import { buildSignedQuery } from "@/lib/officernd/signature";
import { createInstallation, createUserWithAccount, randomHex } from "./support/factories";

export const BASE_URL = "http://localhost:3000";
export const nowSeconds = () => Math.floor(Date.now() / 1000);

export type SignedFixture = Awaited<ReturnType<typeof createSignedFixture>>;

type FixtureOptions = Omit<Parameters<typeof createInstallation>[0], "accountId"> & {
  accountId?: string;
  accountName?: string;
};

/** A partner account with one installation (random org slug, one location) and a known org id. */
export async function createSignedFixture(options: FixtureOptions = {}) {
  const account = options.accountId
    ? await db.account.findUniqueOrThrow({ where: { id: options.accountId } })
    : (await createUserWithAccount({ accountName: options.accountName ?? `Partner ${randomHex(3)}` }))
        .account;
  const fixture = await createInstallation({ ...options, accountId: account.id });
  const orgId = randomHex(12);
  await db.installation.update({ where: { id: fixture.installation.id }, data: { orgId } });
  return { ...fixture, account, orgId };
}

/** OfficeRnD's parameters in its order (api.md §2): slug, locations, organizationId, memberId. */
export function officeRndParams(
  fixture: SignedFixture,
  extra: [string, string][] = [],
  locations?: string,
): [string, string][] {
  return [
    ["slug", fixture.installation.orgSlug],
    ["locations", locations ?? fixture.locations.map((location) => location.id).join(",")],
    ["organizationId", fixture.orgId],
    ...extra,
  ];
}

export function signedUrl(
  path: string,
  params: [string, string][],
  secret: string,
  t = nowSeconds(),
): string {
  return `${BASE_URL}${path}?${buildSignedQuery(params, secret, t)}`;
}

export function get(
  handler: (request: Request) => Promise<Response>,
  url: string,
  init: RequestInit = {},
): Promise<Response> {
  return handler(new Request(url, init));
}

/** Everything a signed request may change; equal before and after means it changed nothing. */
export async function stateSnapshot() {
  const [installations, usedSignatures, configureSessions, auditEvents, syncRuns] = await Promise.all([
    db.installation.findMany({
      select: { id: true, status: true, syncEnabled: true, lastHealthcheckAt: true, updatedAt: true },
      orderBy: { id: "asc" },
    }),
    db.usedSignature.count(),
    db.configureSession.count(),
    db.auditEvent.count(),
    db.syncRun.count(),
  ]);
  return { installations, usedSignatures, configureSessions, auditEvents, syncRuns };
}
