import { Card } from "@/components/ui/card";

/** Shown without a usable configure session: the only way in is OfficeRnD's signed link. */
export function OpenFromOfficeRnd({ title, text }: { title: string; text: string }) {
  return (
    <main className="mx-auto max-w-md px-4 py-10">
      <Card>
        <h1 className="text-lg font-semibold">{title}</h1>
        <p className="mt-2 text-sm text-slate-600">{text}</p>
      </Card>
    </main>
  );
}
