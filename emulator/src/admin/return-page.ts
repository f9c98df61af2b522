import { html, page } from "./html";
import { ADMIN_STYLES } from "./admin-styles";

/**
 * GET /connect/external-integration/return – where the partner sends the Connect pop-up when it is
 * done (spec §2 step 5). Tells the opener and closes itself, as OfficeRnD's page does.
 */
export function renderReturnPage(): string {
  const body = html`<main>
    <section class="panel">
      <h1>Integration connected</h1>
      <p class="muted">You can close this window and return to OfficeRnD.</p>
    </section>
  </main>`;
  const script = `
try { if (window.opener) window.opener.postMessage({ type: "officernd:external-integration-return", search: location.search }, location.origin); } catch (error) {}
setTimeout(() => window.close(), 300);`;
  return page({ title: "Integration connected – OfficeRnD emulator", body, styles: ADMIN_STYLES, script });
}
