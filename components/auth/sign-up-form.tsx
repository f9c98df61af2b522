"use client";

import { signIn } from "next-auth/react";
import { startTransition, useActionState, type FormEvent } from "react";
import { Button } from "@/components/ui/button";
import { signUpAction, type SignUpState } from "@/app/signup/actions";

type FieldName = "name" | "email" | "password" | "accountName";

const FIELDS: { name: FieldName; label: string; type: string; autoComplete: string; hint?: string }[] = [
  { name: "name", label: "Your name", type: "text", autoComplete: "name" },
  { name: "email", label: "Email", type: "email", autoComplete: "email" },
  {
    name: "password",
    label: "Password",
    type: "password",
    autoComplete: "new-password",
    hint: "At least 8 characters.",
  },
  {
    name: "accountName",
    label: "Account name",
    type: "text",
    autoComplete: "organization",
    hint: "Usually your company's name.",
  },
];

type Props = { callbackUrl: string; signInHref: string };

/**
 * Sign-up runs on the server; signing in with the new password then happens here, so the password
 * never travels back in the action's state. The form is submitted by script rather than through a
 * form action, because React resets a form after its action and the password would be lost.
 */
export function SignUpForm({ callbackUrl, signInHref }: Props) {
  const [state, dispatch, isPending] = useActionState(
    async (previous: SignUpState, form: FormData): Promise<SignUpState> => {
      const result = await signUpAction(previous, form);
      if (!result?.ok) return result;
      const signedIn = await signIn("credentials", {
        email: result.email,
        password: form.get("password"),
        redirect: false,
        callbackUrl,
      });
      // The same answer for a new and a registered email (issue 12, item 9): only the password decides.
      if (!signedIn || signedIn.error)
        window.location.assign(`${signInHref}${signInHref.includes("?") ? "&" : "?"}after=signup`);
      else window.location.assign(signedIn.url ?? callbackUrl);
      return result;
    },
    null,
  );
  const failed = state && !state.ok ? state : null;

  function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    startTransition(() => dispatch(form));
  }

  return (
    <form
      onSubmit={onSubmit}
      className="mt-6 space-y-4"
      noValidate
      aria-describedby={failed ? "sign-up-error" : undefined}
    >
      {failed ? (
        <p
          id="sign-up-error"
          role="alert"
          aria-label="Sign-up error"
          className="rounded-md bg-red-50 p-3 text-sm text-red-700"
        >
          {failed.error}
        </p>
      ) : null}
      {FIELDS.map((field) => {
        const errors = failed?.fieldErrors[field.name];
        const describedBy =
          [errors ? `${field.name}-error` : null, field.hint ? `${field.name}-hint` : null]
            .filter(Boolean)
            .join(" ") || undefined;
        return (
          <div key={field.name}>
            <label htmlFor={field.name} className="block text-sm font-medium">
              {field.label}
            </label>
            <input
              id={field.name}
              name={field.name}
              type={field.type}
              autoComplete={field.autoComplete}
              required
              defaultValue={field.name === "password" ? undefined : failed?.values[field.name]}
              aria-invalid={errors ? true : undefined}
              aria-describedby={describedBy}
              className="mt-1 w-full rounded-md border border-slate-300 px-3 py-2 aria-[invalid=true]:border-red-500"
            />
            {field.hint ? (
              <p id={`${field.name}-hint`} className="mt-1 text-xs text-slate-600">
                {field.hint}
              </p>
            ) : null}
            {errors ? (
              <p id={`${field.name}-error`} className="mt-1 text-sm text-red-700">
                {errors.join(" ")}
              </p>
            ) : null}
          </div>
        );
      })}
      <Button type="submit" disabled={isPending || state?.ok === true} className="w-full">
        {isPending || state?.ok ? "Creating your account…" : "Create account"}
      </Button>
    </form>
  );
}
