import type { Metadata } from "next";
import { cookies } from "next/headers";
import { AfterSignUpNote } from "@/components/auth/after-sign-up-note";
import { SignInForm } from "@/components/auth/sign-in-form";
import { SignUpForm } from "@/components/auth/sign-up-form";
import { SwitchFormLink } from "@/components/auth/switch-form-link";
import { getSessionUser } from "@/lib/auth/session";
import { loadConnectView } from "@/lib/connect/connect-view";
import { FAILURES } from "@/lib/connect/failures";
import { describeLocations } from "@/lib/connect/location-names";
import { STATE_COOKIE } from "@/lib/connect/state";
import { buttonClass } from "@/components/ui/button";
import { ConfirmForm } from "../_components/confirm-form";
import { OrganisationSummary } from "../_components/organisation-summary";
import { OutcomeView } from "../_components/outcome-view";
import { PopupShell } from "../_components/popup-shell";
import { SignOutLink } from "../_components/sign-out-link";

export const metadata: Metadata = { title: "Connect OfficeRnD", robots: { index: false } };

type Props = {
  params: Promise<{ id: string }>;
  searchParams?: Promise<{ step?: string | string[]; after?: string | string[] }>;
};

// The Connect popup after GET /connect: sign in if needed, pick an account, confirm, or see how it ended.
export default async function ConnectPage({ params, searchParams }: Props) {
  const { id } = await params;
  const query = (await searchParams) ?? {};
  const state = (await cookies()).get(STATE_COOKIE)?.value;
  const user = await getSessionUser();
  const view = await loadConnectView({ pendingId: id, state, userId: user?.id ?? null });
  const here = `/connect/${id}`;

  // Cancelling is the admin's own choice, so it is told calmly (a status), not as an alert.
  if (view.kind === "failed")
    return (
      <OutcomeView
        tone={view.reason === "cancelled" ? "neutral" : "problem"}
        {...FAILURES[view.reason]}
        returnUrl={view.returnUrl}
      />
    );
  if (view.kind === "completed") {
    return (
      <OutcomeView
        tone="done"
        title={`${view.orgName} is connected`}
        text="The connection is set up. You can return to OfficeRnD."
        returnUrl={view.returnUrl}
      />
    );
  }

  const locationsText = describeLocations(view.locations, { isAll: view.isAllLocations });
  const summary = (
    <OrganisationSummary
      orgName={view.orgName}
      orgSlug={view.orgSlug}
      locations={view.locations}
      isAllLocations={view.isAllLocations}
    />
  );
  const returnLink = (
    <a href={view.returnUrl} className="text-sm text-slate-600 underline underline-offset-2">
      Return to OfficeRnD without connecting
    </a>
  );

  if (view.kind === "sign_in" && query.step === "signup") {
    return (
      <PopupShell title={`Connect ${view.orgName}`}>
        <p className="text-sm text-slate-600">
          Create a partner account to connect this OfficeRnD organisation to it. You become the account&apos;s
          owner.
        </p>
        {summary}
        <SignUpForm callbackUrl={here} signInHref={here} />
        <SwitchFormLink
          question="Already have an account?"
          href={here}
          label="Sign in instead."
          className="text-sm text-slate-600"
        />
        {returnLink}
      </PopupShell>
    );
  }

  if (view.kind === "sign_in") {
    return (
      <PopupShell title={`Connect ${view.orgName}`}>
        <p className="text-sm text-slate-600">
          Sign in to your partner account to connect OfficeRnD organisation <strong>{view.orgName}</strong> (
          {locationsText}).
        </p>
        {summary}
        {query.after === "signup" ? <AfterSignUpNote /> : null}
        <SignInForm callbackUrl={here} />
        <SwitchFormLink
          question="New here?"
          href={`${here}?step=signup`}
          label="Create an account"
          className="text-sm text-slate-600"
        />
        {returnLink}
      </PopupShell>
    );
  }

  const signedInAs = user ? (
    <p className="text-sm text-slate-600">
      Signed in as {user.email}. Not you? <SignOutLink callbackUrl={here} />
    </p>
  ) : null;

  if (view.kind === "no_accounts") {
    return (
      <PopupShell title={`Connect ${view.orgName}`}>
        <p
          role="alert"
          aria-label="No account"
          className="rounded-md bg-amber-50 p-3 text-sm text-amber-900 ring-1 ring-amber-200"
        >
          You are not an owner or admin of any partner account, so there is nothing to connect {view.orgName}{" "}
          to. Ask an account owner to make you an admin, or sign out and sign in as someone who is.
        </p>
        <a href={view.returnUrl} className={`${buttonClass("secondary")} self-start`}>
          Return to OfficeRnD
        </a>
        {signedInAs}
      </PopupShell>
    );
  }

  return (
    <PopupShell title={`Connect ${view.orgName}`}>
      {summary}
      <ConfirmForm
        action={`${here}/complete`}
        orgName={view.orgName}
        locationsText={locationsText}
        accounts={view.accounts}
        defaultAccountId={view.defaultAccountId}
        currentAccountName={view.currentAccountName}
      />
      {signedInAs}
    </PopupShell>
  );
}
