"use client";

import { useEffect, useRef } from "react";
import { buttonClass } from "@/components/ui/button";
import { RelativeTime } from "@/components/ui/relative-time";
import { toDate } from "@/lib/configuration/live-status";
import { useLive } from "./live-status";

/**
 * What a disconnected installation means, at the top of the page. It takes focus when it appears
 * (right after Disconnect, or when OfficeRnD removed the integration while the page was open), so
 * the result is on screen and announced, never two screens below.
 */
export function RemovedNotice({
  isOfficeRndAdmin,
  returnUrl,
}: {
  isOfficeRndAdmin: boolean;
  returnUrl: string;
}) {
  const { status, now } = useLive();
  const ref = useRef<HTMLElement>(null);
  useEffect(() => {
    ref.current?.focus();
    ref.current?.scrollIntoView({ block: "start" });
  }, []);
  const { installation } = status;
  const ending = installation.ending;
  const isRemovedInOfficeRnd = ending?.isRemovedInOfficeRnd ?? false;
  const officeRndLink = isOfficeRndAdmin ? returnUrl : installation.regionUrl;
  return (
    <section
      ref={ref}
      tabIndex={-1}
      aria-labelledby="disconnected-heading"
      className="rounded-lg bg-white p-4 shadow-sm ring-2 ring-slate-400 focus:outline-none sm:p-5"
      data-testid="disconnected"
    >
      <h2 id="disconnected-heading" className="text-base font-semibold">
        Disconnected
      </h2>
      <p className="mt-1 text-sm" data-testid="disconnected-by">
        {ending ? (
          <>
            {ending.label} <RelativeTime date={toDate(ending.at)} now={now} />.
          </>
        ) : (
          "This integration is disconnected."
        )}
      </p>
      <p className="mt-2 text-sm text-slate-600">
        Syncing has stopped and the access to OfficeRnD was deleted. The data already synced and the audit log
        are kept; connect again from OfficeRnD to resume.
      </p>
      {isRemovedInOfficeRnd ? null : (
        <p
          className="mt-2 rounded-md bg-amber-50 p-3 text-sm text-amber-900 ring-1 ring-amber-200"
          data-testid="remove-in-officernd"
        >
          OfficeRnD still lists the integration for {installation.orgName} as connected. Remove it in
          OfficeRnD too (its Integrations settings), so that it stops offering Sync and Configure.
        </p>
      )}
      <a href={officeRndLink} className={`${buttonClass("primary")} mt-3`}>
        {isOfficeRndAdmin ? "Return to OfficeRnD" : "Open OfficeRnD"}
      </a>
    </section>
  );
}
