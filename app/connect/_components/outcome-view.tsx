import { buttonClass } from "@/components/ui/button";
import { PopupShell } from "./popup-shell";

const TONES = {
  problem: "bg-amber-50 text-amber-900 ring-1 ring-amber-200",
  neutral: "bg-white text-ink ring-1 ring-slate-200",
  done: "bg-emerald-50 text-emerald-900 ring-1 ring-emerald-200",
} as const;

/** How the popup ended (failed, cancelled, connected): plain words and the way back to OfficeRnD. */
export function OutcomeView({
  title,
  text,
  returnUrl,
  tone,
}: {
  title: string;
  text: string;
  returnUrl: string;
  tone: keyof typeof TONES;
}) {
  return (
    <PopupShell title={title}>
      <p
        role={tone === "problem" ? "alert" : "status"}
        aria-label="Connection outcome"
        className={`rounded-md p-3 text-sm ${TONES[tone]}`}
      >
        {text}
      </p>
      <a href={returnUrl} className={`${buttonClass("primary")} self-start`}>
        Return to OfficeRnD
      </a>
    </PopupShell>
  );
}
