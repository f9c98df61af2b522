"use server";

import { headers } from "next/headers";
import { signUp, type FieldErrors } from "@/lib/auth/sign-up";
import { clientIp } from "@/lib/auth/throttle";

export type SignUpState =
  | { ok: true; email: string }
  | {
      ok: false;
      error: string;
      fieldErrors: FieldErrors;
      values: { name: string; email: string; accountName: string };
    }
  | null;

const text = (form: FormData, name: string) => {
  const value = form.get(name);
  return typeof value === "string" ? value : "";
};

/** Creates the user and their account; the form signs in afterwards. The password is never echoed. */
export async function signUpAction(_previous: SignUpState, form: FormData): Promise<SignUpState> {
  const input = {
    name: text(form, "name"),
    email: text(form, "email"),
    password: text(form, "password"),
    accountName: text(form, "accountName"),
  };
  const result = await signUp(input, { ip: clientIp(await headers()) });
  if (result.ok) return { ok: true, email: result.data.email };
  return {
    ok: false,
    error: result.error,
    fieldErrors: result.fieldErrors,
    values: { name: input.name, email: input.email, accountName: input.accountName },
  };
}
