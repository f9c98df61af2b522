import { Badge } from "@/components/ui/badge";
import { Card } from "@/components/ui/card";
import { RelativeTime } from "@/components/ui/relative-time";
import {
  listRefusedCallsForAccount,
  listRefusedCallsForInstallation,
  type RefusedCallView,
} from "@/lib/dashboard/list-refused-calls";

// "Refused calls from OfficeRnD": the signature explainer's record (issue 13 part 1), on the
// configuration page and the dashboard. Server components; each loads its own data so a page only
// needs one line to include it.

const TITLE = "Refused calls from OfficeRnD";

/** For the configuration page; the page has authorised its viewer for `installationId`. */
export async function InstallationRefusedCalls({
  installationId,
  now = new Date(),
}: {
  installationId: string;
  now?: Date;
}) {
  const calls = await listRefusedCallsForInstallation({ installationId });
  return <RefusedCallsCard calls={calls} now={now} />;
}

/** For the dashboard: every installation of the account (the user must be a member). */
export async function AccountRefusedCalls({
  userId,
  accountId,
  now = new Date(),
}: {
  userId: string;
  accountId: string;
  now?: Date;
}) {
  const calls = await listRefusedCallsForAccount({ userId, accountId });
  return <RefusedCallsCard calls={calls} now={now} />;
}

export function RefusedCallsCard({ calls, now }: { calls: RefusedCallView[]; now: Date }) {
  return (
    <Card title={TITLE}>
      {calls.length === 0 ? (
        <p className="text-sm text-slate-600">None: every signed call from OfficeRnD was accepted.</p>
      ) : (
        <>
          <p className="mb-3 text-sm text-slate-600">
            The last {calls.length} signed call{calls.length === 1 ? "" : "s"} we refused, newest first.
            Secrets, signatures and parameter values are never kept. For a step-by-step check of one URL, run{" "}
            <code className="rounded bg-slate-100 px-1">
              npm run signature:explain -- &apos;&lt;URL&gt;&apos;
            </code>
            .
          </p>
          <ol className="space-y-3" aria-label={TITLE}>
            {calls.map((call) => (
              <RefusedCallItem key={call.id} call={call} now={now} />
            ))}
          </ol>
        </>
      )}
    </Card>
  );
}

function RefusedCallItem({ call, now }: { call: RefusedCallView; now: Date }) {
  return (
    <li className="rounded-md p-3 ring-1 ring-slate-200">
      <div className="flex flex-wrap items-center gap-2 text-sm">
        <Badge tone={call.wouldMatch ? "warn" : "bad"}>{call.route}</Badge>
        <RelativeTime date={call.at} now={now} />
        <span className="text-slate-600">({call.reason})</span>
      </div>
      <p className="mt-1 text-sm">{call.explanation}</p>
      <dl className="mt-2 grid grid-cols-[auto_1fr] gap-x-3 gap-y-1 text-xs text-slate-700">
        <dt className="font-medium">Clock skew</dt>
        <dd>{describeSkew(call.clockSkewSeconds)}</dd>
        <dt className="font-medium">Secrets tried</dt>
        <dd>
          {call.candidatesTried}
          {call.ownFingerprints.length > 0 ? ` (this installation: ${call.ownFingerprints.join(", ")})` : ""}
        </dd>
        <dt className="font-medium">Would have matched</dt>
        <dd>{call.wouldMatch ?? "no known variant"}</dd>
        <dt className="font-medium">Signed keys</dt>
        <dd>
          <code className="break-all">{call.signedShape}</code>
        </dd>
      </dl>
    </li>
  );
}

function describeSkew(skew: number | null): string {
  if (skew === null) return "unknown (no readable timestamp)";
  if (skew === 0) return "none";
  return skew > 0 ? `${skew} s old` : `${-skew} s in the future`;
}
