import { env } from "@/lib/env";
import type { ErrorRenderer } from "@/lib/http/signed-request";

// The friendly page for a Configuration link that cannot be used (expired, forged, already used…).
// Plain HTML from the route handler, so it carries the real status code (401, 409, …); it copies the
// app's layout (brand line, card, buttons) and always offers the way back to OfficeRnD.

type Copy = { title: string; text: string };

const COPY: Partial<Record<string, Copy>> = {
  // Expired and forged links look alike on purpose: the visitor never learns which check failed.
  invalid_signature: { title: "This link has expired", text: "Open the configuration again from OfficeRnD." },
  conflict: {
    title: "This link was already used",
    text: "Each configuration link works once. Open the configuration again from OfficeRnD.",
  },
  not_connected: {
    title: "This integration is not connected",
    text: "Connect the integration again from OfficeRnD, then open its configuration.",
  },
  reconnect_required: {
    title: "This integration needs reconnecting",
    text: "Reconnect the integration from OfficeRnD, then open its configuration.",
  },
  unavailable: {
    title: "Temporarily unavailable",
    text: "We could not open the configuration just now. Try again in a minute from OfficeRnD.",
  },
};
const FALLBACK: Copy = {
  title: "This link cannot be used",
  text: "Open the configuration again from OfficeRnD.",
};

export const renderLinkErrorPage: ErrorRenderer = ({ status, body, headers }) => {
  const copy = COPY[body.error] ?? FALLBACK;
  return new Response(pageHtml(copy), {
    status,
    headers: { ...headers, "Content-Type": "text/html; charset=utf-8", "Cache-Control": "no-store" },
  });
};

function pageHtml({ title, text }: Copy): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex">
<title>${escapeHtml(title)} · Partner for OfficeRnD</title>
<style>
body{margin:0;min-height:100vh;background:#f8fafc;color:#0f172a;font-family:ui-sans-serif,system-ui,sans-serif;-webkit-font-smoothing:antialiased}
main{max-width:28rem;margin:0 auto;padding:2.5rem 1rem}
.brand{margin:0;font-size:.75rem;font-weight:600;letter-spacing:.025em;text-transform:uppercase;color:#2563eb}
section{margin-top:.5rem;padding:1.25rem;background:#fff;border-radius:.5rem;box-shadow:0 1px 2px rgb(0 0 0/.05);outline:1px solid #e2e8f0}
h1{margin:0;font-size:1.125rem;font-weight:600}
p.text{margin:.5rem 0 0;font-size:.875rem;color:#475569;line-height:1.5}
.actions{margin-top:1rem;display:flex;flex-wrap:wrap;gap:.75rem}
a.button{display:inline-flex;align-items:center;border-radius:.375rem;padding:.5rem 1rem;font-size:.875rem;font-weight:600;text-decoration:none}
a.primary{background:#2563eb;color:#fff}a.primary:hover{background:#1d4ed8}
a.secondary{background:#fff;color:#0f172a;outline:1px solid #cbd5e1}
a:focus-visible{outline:2px solid #2563eb;outline-offset:2px}
</style>
</head>
<body>
<main>
<p class="brand">Partner for OfficeRnD · Configuration</p>
<section>
<h1>${escapeHtml(title)}</h1>
<p class="text">${escapeHtml(text)}</p>
<div class="actions">
<a class="button primary" href="${escapeHtml(env().OFFICERND_APP_URL)}">Return to OfficeRnD</a>
<a class="button secondary" href="/dashboard">Partner user? Open your dashboard</a>
</div>
</section>
</main>
</body>
</html>
`;
}

function escapeHtml(value: string): string {
  return value.replace(/[&<>"']/g, (char) => `&#${char.charCodeAt(0)};`);
}
