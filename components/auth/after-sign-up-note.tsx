/**
 * Shown when sign-up could not sign in with the password given: the email may already have had an
 * account (sign-up answers the same either way, so it cannot be used to look emails up).
 */
export function AfterSignUpNote() {
  return (
    <p role="status" className="mt-4 rounded-md bg-amber-50 p-3 text-sm text-amber-900 ring-1 ring-amber-200">
      We could not sign you in with that password. If this email already has an account, sign in with its
      password.
    </p>
  );
}
