import type { Metadata } from "next";
import { redirect } from "next/navigation";
import { Card } from "@/components/ui/card";
import { getSessionUser } from "@/lib/auth/session";

export const metadata: Metadata = { title: "Dashboard" };

export default async function DashboardPage() {
  const user = await getSessionUser();
  if (!user) redirect("/signin?callbackUrl=/dashboard");
  return (
    <main className="mx-auto max-w-5xl px-6 py-10">
      <h1 className="text-2xl font-bold">Dashboard</h1>
      <p className="mt-1 text-sm text-slate-600">Signed in as {user.email}</p>
      <Card className="mt-6" title="Installations">
        <p className="text-sm text-slate-600">No OfficeRnD organisation is connected yet. Connect one from OfficeRnD&apos;s integrations page.</p>
      </Card>
    </main>
  );
}
