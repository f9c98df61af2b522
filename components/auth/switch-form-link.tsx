import Link from "next/link";

/** The line under a sign-in or sign-up form that leads to the other one. */
export function SwitchFormLink({
  question,
  href,
  label,
  className,
}: {
  question: string;
  href: string;
  label: string;
  className: string;
}) {
  return (
    <p className={className}>
      {question}{" "}
      <Link href={href} className="font-semibold text-brand-700 underline underline-offset-2">
        {label}
      </Link>
    </p>
  );
}
