// Test data with random ids, so test files (each with its own database) never collide.
import { randomBytes, randomUUID } from "node:crypto";
import { db } from "@/lib/db";
import { encryptSecret } from "@/lib/crypto/secrets";
import { hashPassword } from "@/lib/auth/password";

export const randomHex = (bytes = 12) => randomBytes(bytes).toString("hex");

export async function createUserWithAccount(
  options: {
    email?: string;
    password?: string;
    accountName?: string;
    role?: "owner" | "admin" | "member";
  } = {},
) {
  const password = options.password ?? "correct-horse-battery";
  const user = await db.user.create({
    data: {
      email: options.email ?? `user-${randomHex(4)}@example.com`,
      name: "Test User",
      passwordHash: await hashPassword(password),
    },
  });
  const account = await db.account.create({
    data: { name: options.accountName ?? `Account ${randomHex(3)}` },
  });
  await db.accountMember.create({
    data: { accountId: account.id, userId: user.id, role: options.role ?? "owner" },
  });
  return { user, account, password };
}

export type InstallationFixture = Awaited<ReturnType<typeof createInstallation>>;

/** An active installation with its secret and tokens encrypted the way the Connect flow stores them. */
export async function createInstallation(options: {
  accountId: string;
  orgSlug?: string;
  integrationId?: string;
  locations?: { id: string; name: string }[];
  secret?: string;
  regionUrl?: string;
  accessToken?: string;
  refreshToken?: string;
  tokenExpiresAt?: Date;
  status?: "active" | "reconnect_required" | "removed";
}) {
  const id = randomUUID();
  const secret = options.secret ?? randomHex(32);
  const locations = options.locations ?? [{ id: randomHex(), name: "Main Street" }];
  const installation = await db.installation.create({
    data: {
      id,
      accountId: options.accountId,
      orgSlug: options.orgSlug ?? `org-${randomHex(4)}`,
      orgName: "Test Organisation",
      integrationId: options.integrationId ?? randomHex(),
      regionUrl: options.regionUrl ?? "http://localhost:4010",
      locationsKey: locations
        .map((location) => location.id)
        .sort()
        .join(","),
      status: options.status ?? "active",
      secretEnc: encryptSecret(secret, `installation:${id}:secret`),
      accessTokenEnc: encryptSecret(
        options.accessToken ?? "access-" + randomHex(),
        `installation:${id}:access`,
      ),
      refreshTokenEnc: encryptSecret(
        options.refreshToken ?? "refresh-" + randomHex(),
        `installation:${id}:refresh`,
      ),
      tokenScope: "officernd.api.read officernd.api.write",
      tokenExpiresAt: options.tokenExpiresAt ?? new Date(Date.now() + 3600_000),
      locations: { create: locations.map((location) => ({ locationId: location.id, name: location.name })) },
    },
  });
  return { installation, secret, locations };
}
