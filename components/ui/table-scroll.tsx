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

export const TABLE_CLASS =
  "w-full text-left text-sm [&_td]:py-2 [&_td]:pr-3 [&_th]:pb-2 [&_th]:pr-3 [&_th]:font-medium [&_th]:text-slate-600 [&_tbody_tr]:border-t [&_tbody_tr]:border-slate-100";
