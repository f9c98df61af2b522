import type { ReactNode } from "react";

/**
 * Lets a wide table scroll sideways in the 500 px popup. The region is focusable and named, so
 * keyboard users can scroll it too (axe: scrollable-region-focusable).
 */
export function TableScroll({ label, children }: { label: string; children: ReactNode }) {
  return (
    <div role="region" aria-label={label} tabIndex={0} className="-mx-1 overflow-x-auto px-1">
      {children}
    </div>
  );
}

const TABLE_BASE =
  "w-full text-left [&_td]:py-2 [&_th]:pb-2 [&_th]:font-medium [&_th]:text-slate-600 [&_tbody_tr]:border-t [&_tbody_tr]:border-slate-100";
export const TABLE_CLASS = `${TABLE_BASE} text-sm [&_td]:pr-3 [&_th]:pr-3`;
/** For tables with many numeric columns in the 500 px popup. */
export const DENSE_TABLE_CLASS = `${TABLE_BASE} text-xs sm:text-sm [&_td]:pr-2 [&_th]:pr-2`;
