import "server-only";
import { z } from "zod";
import { recordAudit } from "@/lib/audit/record-audit";
import { hashPassword } from "@/lib/auth/password";
import { hit, isLimited, SIGN_UP_IP_LIMIT, signUpKey } from "@/lib/auth/throttle";
import { db } from "@/lib/db";
import { Prisma } from "@/lib/generated/prisma/client";
import { log } from "@/lib/log";
import { toFieldErrors } from "@/lib/validated-action";

// Sign-up: one user and one account they own, in one transaction.

export const signUpSchema = z.object({
  name: z.string().trim().min(1, "Enter your name.").max(100, "Use at most 100 characters."),
  email: z
    .email("Enter a valid email address.")
    .max(320)
    .transform((email) => email.toLowerCase()),
  password: z.string().min(8, "Use at least 8 characters.").max(1024, "Use at most 1024 characters."),
  accountName: z
    .string()
    .trim()
    .min(1, "Name your account, e.g. your company.")
    .max(120, "Use at most 120 characters."),
});

export type SignUpInput = z.input<typeof signUpSchema>;
export type FieldErrors = Partial<Record<keyof SignUpInput, string[]>>;
export type SignUpResult =
  | { ok: true; data: { email: string; created: { userId: string; accountId: string } | null } }
  | { ok: false; error: string; fieldErrors: FieldErrors };

/**
 * Creates the user and their account (role owner); never echoes the password. A registered email answers
 * exactly like a new one (`ok`, same work: hashed and insert attempted), so sign-up cannot reveal who has
 * an account; `created` is null then, and the form's sign-in with that password decides.
 */
export async function signUp(raw: unknown, context: { ip?: string | null } = {}): Promise<SignUpResult> {
  const parsed = signUpSchema.safeParse(raw);
  if (!parsed.success)
    return {
      ok: false,
      error: "Please correct the highlighted fields below.",
      fieldErrors: toFieldErrors(parsed.error) as FieldErrors,
    };
  const ipKey = context.ip ? signUpKey(context.ip) : null;
  if (ipKey && (await isLimited(ipKey, SIGN_UP_IP_LIMIT))) {
    return {
      ok: false,
      error: "Too many sign-ups from your network. Please try again later.",
      fieldErrors: {},
    };
  }
  if (ipKey) await hit(ipKey, SIGN_UP_IP_LIMIT);
  const { name, email, password, accountName } = parsed.data;
  const passwordHash = await hashPassword(password);
  try {
    const created = await db.$transaction(async (tx) => {
      const user = await tx.user.create({ data: { email, name, passwordHash }, select: { id: true } });
      const account = await tx.account.create({
        data: { name: accountName, members: { create: { userId: user.id, role: "owner" } } },
        select: { id: true },
      });
      await recordAudit(
        {
          accountId: account.id,
          actor: `user:${user.id}`,
          action: "account.created",
          after: { accountName, role: "owner" },
        },
        tx,
      );
      return { userId: user.id, accountId: account.id };
    });
    log.info({ userId: created.userId, accountId: created.accountId }, "user signed up");
    return { ok: true, data: { email, created } };
  } catch (error) {
    if (error instanceof Prisma.PrismaClientKnownRequestError && error.code === "P2002") {
      log.info("sign-up for an email that already has an account: answered like any other");
      return { ok: true, data: { email, created: null } };
    }
    throw error;
  }
}
