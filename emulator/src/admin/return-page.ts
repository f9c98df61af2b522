import { html, page } from "./html";
import { ADMIN_STYLES } from "./admin-styles";

/** What OfficeRnD found when the pop-up came back: the healthcheck's answer for that integration. */
export type ReturnOutcome =
  | { kind: "connected"; accountName: string }
  | { kind: "not_connected"; message: string }
  | { kind: "unknown" };

/**
 * GET /connect/external-integration/return – where the partner sends the Connect pop-up when it is
 * done (spec §2 step 5). Like OfficeRnD, it asks the partner's healthcheck whether the integration is
 * connected (spec: "the URL that is used to check if the integration is successfully connected") and
 * says so: after a cancel or a failure it does not claim a connection. It tells the opener, and
 * closes itself after a success.
 */
export function renderReturnPage(outcome: ReturnOutcome = { kind: "unknown" }): string {
  const isConnected = outcome.kind === "connected";
  const title = isConnected
    ? "Integration connected"
    : outcome.kind === "not_connected"
      ? "Integration not connected"
      : "Connection finished";
  const text =
    outcome.kind === "connected"
      ? `Connected to ${outcome.accountName}. You can close this window and return to OfficeRnD.`
      : outcome.kind === "not_connected"
        ? `The partner reports: ${outcome.message}`
        : "You can close this window and return to OfficeRnD.";
  const body = html`<main>
    <section class="panel">
      <h1>${title}</h1>
      <p class="muted" role="status">${text}</p>
      <p><button type="button" onclick="window.close()">Close</button></p>
    </section>
  </main>`;
  const script = `
try { if (window.opener) window.opener.postMessage({ type: "officernd:external-integration-return", search: location.search }, location.origin); } catch (error) {}
${isConnected ? "setTimeout(() => window.close(), 300);" : ""}`;
  return page({ title: `${title} – OfficeRnD emulator`, body, styles: ADMIN_STYLES, script });
}
