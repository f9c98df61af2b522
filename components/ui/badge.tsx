import type { ReactNode } from "react";

export type Tone = "neutral" | "good" | "warn" | "bad" | "info";

// Text colours pass WCAG AA (4.5:1) on their tinted backgrounds.
const TONES: Record<Tone, string> = {
  neutral: "bg-slate-100 text-slate-700 ring-slate-300",
  good: "bg-green-50 text-green-800 ring-green-600/30",
  warn: "bg-amber-50 text-amber-900 ring-amber-600/40",
  bad: "bg-red-50 text-red-800 ring-red-600/30",
  info: "bg-brand-50 text-brand-700 ring-brand-600/30",
};

export function Badge({
  tone = "neutral",
  children,
  className = "",
}: {
  tone?: Tone;
  children: ReactNode;
  className?: string;
}) {
  return (
    <span
      className={`inline-flex items-center rounded-full px-2 py-0.5 text-xs font-medium ring-1 ring-inset ${TONES[tone]} ${className}`}
    >
      {children}
    </span>
  );
}
