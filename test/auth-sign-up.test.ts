// Sign-up creates a user and an account they own (one transaction), refuses bad input field by field,
// never echoes the password, and the new user can then sign in.
import { beforeEach, describe, expect, it, vi } from "vitest";
import { authenticate } from "@/lib/auth/options";
import { signUp } from "@/lib/auth/sign-up";
import { SIGN_UP_IP_LIMIT } from "@/lib/auth/throttle";
import { db } from "@/lib/db";
import { randomHex } from "./support/factories";

const headerValues = vi.hoisted(() => ({ "x-forwarded-for": "203.0.113.50" }) as Record<string, string>);
vi.mock("next/headers", () => ({ headers: async () => new Headers(headerValues) }));

let email: string;
beforeEach(() => {
  email = `new-${randomHex(4)}@example.com`;
});

const valid = () => ({
  name: "Ada Admin",
  email,
  password: "a long enough password",
  accountName: "Ada's Coworking",
});

describe("signUp", () => {
  it("creates the user and an account with the user as owner, and audits it", async () => {
    const result = await signUp({ ...valid(), email: email.toUpperCase() });
    expect(result).toMatchObject({ ok: true, data: { email } });
    if (!result.ok) return;
    const created = result.data.created!;
    const user = await db.user.findUniqueOrThrow({
      where: { email },
      include: { memberships: { include: { account: true } } },
    });
    expect(user.passwordHash).toMatch(/^\$argon2id\$/);
    expect(user.memberships).toEqual([
      expect.objectContaining({
        role: "owner",
        accountId: created.accountId,
        account: expect.objectContaining({ name: "Ada's Coworking" }),
      }),
    ]);
    expect(await db.auditEvent.findMany({ where: { accountId: created.accountId } })).toEqual([
      expect.objectContaining({ action: "account.created", actor: `user:${user.id}` }),
    ]);
    expect(await authenticate({ email, password: "a long enough password" })).toMatchObject({
      ok: true,
      user: { id: user.id },
    });
  });

  it("answers a registered email exactly as a new one (issue 12, item 9), and creates nothing more", async () => {
    await signUp(valid());
    const accounts = await db.account.count();
    const passwordHash = (await db.user.findUniqueOrThrow({ where: { email } })).passwordHash;
    const result = await signUp({ ...valid(), password: "someone else's password", accountName: "Another" });
    expect(result).toEqual({ ok: true, data: { email, created: null } });
    expect(await db.account.count()).toBe(accounts);
    expect((await db.user.findUniqueOrThrow({ where: { email } })).passwordHash).toBe(passwordHash);
  });

  it.each([
    ["name", { name: "  " }],
    ["email", { email: "not-an-email" }],
    ["password", { password: "short" }],
    ["accountName", { accountName: "" }],
  ])("refuses a bad %s with a message on that field", async (field, change) => {
    const result = await signUp({ ...valid(), ...change });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(Object.keys(result.fieldErrors)).toEqual([field]);
    expect(await db.user.count({ where: { email } })).toBe(0);
  });

  it("is limited per IP address", async () => {
    const from = `198.51.100.${Math.floor(Math.random() * 250)}`;
    for (let index = 0; index < SIGN_UP_IP_LIMIT.max; index++)
      await signUp({ ...valid(), email: `x${index}-${email}` }, { ip: from });
    expect(await signUp(valid(), { ip: from })).toMatchObject({
      ok: false,
      error: expect.stringContaining("Too many sign-ups"),
    });
  });
});

describe("the sign-up server action", () => {
  it("returns the email on success and never the password, even on failure", async () => {
    const { signUpAction } = await import("@/app/signup/actions");
    const form = (values: Record<string, string>) => {
      const data = new FormData();
      for (const [key, value] of Object.entries(values)) data.set(key, value);
      return data;
    };
    expect(await signUpAction(null, form(valid()))).toEqual({ ok: true, email });
    // The same email again: the same answer, field for field.
    expect(await signUpAction(null, form({ ...valid(), password: "another password entirely" }))).toEqual({
      ok: true,
      email,
    });
    const failed = await signUpAction(null, form({ ...valid(), password: "tiny" }));
    expect(failed).toMatchObject({
      ok: false,
      values: { name: "Ada Admin", email, accountName: "Ada's Coworking" },
    });
    expect(JSON.stringify(failed)).not.toContain("tiny");
  });
});
