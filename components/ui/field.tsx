import type { ReactNode } from "react";

/** The id of a field's error message, for aria-describedby. */
export function errorId(fieldId: string): string {
  return `${fieldId}-error`;
}

/** A field's validation messages, next to the field, announced when they appear. */
export function FieldError({ id, messages }: { id: string; messages: string[] | undefined }) {
  if (!messages || messages.length === 0) return null;
  return (
    <p id={errorId(id)} className="mt-1 text-sm text-red-700">
      {messages.join(" ")}
    </p>
  );
}

export function FieldHint({ children }: { children: ReactNode }) {
  return <p className="mt-1 text-xs text-slate-600">{children}</p>;
}

export const INPUT_CLASS =
  "mt-1 w-full rounded-md border border-slate-300 bg-white px-3 py-2 text-sm aria-[invalid=true]:border-red-600 disabled:bg-slate-100 disabled:text-slate-500";

/** A labelled `<select>` of a form (GET filters, the account switcher). */
export function SelectField({
  id,
  name,
  label,
  defaultValue,
  options,
  className = INPUT_CLASS,
}: {
  id: string;
  name: string;
  label: string;
  defaultValue: string;
  options: { value: string; label: string }[];
  className?: string;
}) {
  return (
    <div>
      <label htmlFor={id} className="block text-sm font-medium">
        {label}
      </label>
      <select id={id} name={name} defaultValue={defaultValue} className={className}>
        {options.map((option) => (
          <option key={option.value} value={option.value}>
            {option.label}
          </option>
        ))}
      </select>
    </div>
  );
}
