/** A determinate progress bar (or an indeterminate one while the total is unknown), with its label. */
export function ProgressBar({
  label,
  percent,
  valueText,
}: {
  label: string;
  percent: number | null;
  valueText: string;
}) {
  const clamped = percent === null ? null : Math.min(100, Math.max(0, percent));
  return (
    <div
      role="progressbar"
      aria-label={label}
      aria-valuemin={0}
      aria-valuemax={100}
      aria-valuenow={clamped === null ? undefined : Math.round(clamped)}
      aria-valuetext={valueText}
      className="h-2.5 w-full overflow-hidden rounded-full bg-slate-200"
    >
      <div
        className={`h-full rounded-full bg-brand-600 transition-[width] duration-500 ${clamped === null ? "w-1/3 animate-pulse" : ""}`}
        style={clamped === null ? undefined : { width: `${clamped}%` }}
      />
    </div>
  );
}
