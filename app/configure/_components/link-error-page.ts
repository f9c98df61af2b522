import type { ErrorRenderer } from "@/lib/officernd/signed-request";

// The friendly page for a Configuration link that cannot be used (expired, forged, already used…).
// Plain HTML from the route handler, so it carries the real status code (401, 409, …).

type Copy = { title: string; text: string };

const COPY: Partial<Record<string, Copy>> = {
  // Expired and forged links look alike on purpose: the visitor never learns which check failed.
  invalid_signature: { title: "This link has expired", text: "Open the configuration again from OfficeRnD." },
  conflict: { title: "This link was already used", text: "Each configuration link works once. Open the configuration again from OfficeRnD." },
  not_connected: { title: "This integration is not connected", text: "Connect the integration again from OfficeRnD, then open its configuration." },
  reconnect_required: { title: "This integration needs reconnecting", text: "Reconnect the integration from OfficeRnD, then open its configuration." },
  unavailable: { title: "Temporarily unavailable", text: "We could not open the configuration just now. Try again in a minute from OfficeRnD." },
};
const FALLBACK: Copy = { title: "This link cannot be used", text: "Open the configuration again from OfficeRnD." };

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
body{margin:0;min-height:100vh;display:grid;place-items:center;background:#f8fafc;color:#0f172a;font-family:system-ui,-apple-system,"Segoe UI",sans-serif}
main{max-width:28rem;margin:1.5rem;padding:1.5rem;background:#fff;border-radius:.5rem;box-shadow:0 1px 2px rgb(0 0 0/.06);outline:1px solid #e2e8f0}
h1{margin:0 0 .75rem;font-size:1.25rem}
p{margin:0;color:#475569;line-height:1.5}
</style>
</head>
<body>
<main>
<h1>${escapeHtml(title)}</h1>
<p>${escapeHtml(text)}</p>
</main>
</body>
</html>
`;
}

function escapeHtml(value: string): string {
  return value.replace(/[&<>"']/g, (char) => `&#${char.charCodeAt(0)};`);
}
