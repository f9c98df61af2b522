import type { ReactNode } from "react";

/** The frame of every Connect popup screen, laid out for OfficeRnD's 500×700 window first. */
export function PopupShell({ title, children }: { title: string; children: ReactNode }) {
  return (
    <main className="mx-auto flex min-h-screen max-w-md flex-col px-6 py-8">
      <p className="text-xs font-semibold uppercase tracking-wide text-brand-600">
        Partner for OfficeRnD · Connect
      </p>
      <h1 className="mt-2 text-2xl font-bold leading-tight">{title}</h1>
      <div className="mt-4 flex flex-1 flex-col gap-5">{children}</div>
    </main>
  );
}
