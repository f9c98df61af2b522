import type { EmulatorContext } from "../context";
import type { Organization } from "../data/dataset";
import { integrationView, organizationView } from "../control/views";
import { partnerUrls } from "../options";
import { ADMIN_SCRIPT } from "./admin-script";
import { ADMIN_STYLES } from "./admin-styles";
import { html, page, type SafeHtml } from "./html";

type IntegrationView = ReturnType<typeof integrationView>;
type OrganizationView = ReturnType<typeof organizationView>;

const RECENT_DELIVERIES = 15;

function when(iso: string | null): string {
  return iso ? iso.replace("T", " ").replace(/\.\d+Z$/, " UTC") : "—";
}

function locationNames(view: OrganizationView, ids: string[]): string {
  if (ids.length === 0) return "All locations";
  return ids.map((id) => view.locations.find((location) => location._id === id)?.name ?? id).join(", ");
}

function integrationCard(
  view: OrganizationView,
  integration: IntegrationView,
  isHighlighted: boolean,
): SafeHtml {
  const sync = integration.syncEnabled === null ? "never toggled" : integration.syncEnabled ? "on" : "off";
  return html`<article
    class="integration${isHighlighted ? " highlight" : ""}"
    id="integration-card-${integration._id}"
    data-integration-id="${integration._id}"
    aria-labelledby="integration-${integration._id}"
    ${isHighlighted ? html`data-highlighted="true" tabindex="-1"` : html``}
  >
    ${
      isHighlighted
        ? html`<p class="deep-link" role="status">
            Opened from the partner's configuration.
            ${integration.connected ? "Press Connect to connect this integration again." : "Press Connect to connect it."}
          </p>`
        : html``
    }
    <div class="top">
      <h3 id="integration-${integration._id}">Integration <code>${integration._id}</code></h3>
      <span class="badge ${integration.connected ? "ok" : "warn"}"
        >${integration.connected ? "Connected" : "Not connected"}</span
      >
    </div>
    <dl class="facts">
      <dt>Locations</dt>
      <dd>${locationNames(view, integration.locations)}</dd>
      <dt>Code exchanged</dt>
      <dd>${when(integration.tokenExchangedAt)}</dd>
      <dt>Secret fetched</dt>
      <dd>${when(integration.secretFetchedAt)}</dd>
      <dt>Webhooks</dt>
      <dd>${integration.webhookIds.length}</dd>
      <dt>Sync</dt>
      <dd>${sync}</dd>
    </dl>
    <div class="actions">
      <button type="button" class="primary" data-action="connect">Connect</button>
      <button type="button" data-action="configure">Configure</button>
      <button type="button" data-action="healthcheck">Healthcheck</button>
      <button type="button" data-action="sync-on">Sync on</button>
      <button type="button" data-action="sync-off">Sync off</button>
      <button type="button" data-action="activity">Generate activity</button>
      <button type="button" class="danger" data-action="remove">Remove integration</button>
    </div>
    <output aria-live="polite"></output>
  </article>`;
}

function addIntegrationForm(view: OrganizationView): SafeHtml {
  return html`<form method="post" action="/admin/orgs/${view.slug}/integrations" data-add-integration>
    <fieldset>
      <legend>Locations</legend>
      <label><input type="radio" name="scope" value="all" checked /> All locations</label>
      <label><input type="radio" name="scope" value="chosen" /> Chosen locations</label>
    </fieldset>
    <fieldset>
      <legend class="muted">Chosen locations</legend>
      ${view.locations.map((location) => html`<label><input type="checkbox" name="location" value="${location._id}" /> ${location.name}</label>`)}
    </fieldset>
    <button type="submit" class="primary">Add integration</button>
  </form>`;
}

function webhookSection(context: EmulatorContext, slug: string): SafeHtml {
  const webhooks = context.state.webhooks.list(slug);
  const deliveries = context.state.dispatcher.deliveries
    .all()
    .filter((delivery) => delivery.orgSlug === slug)
    .slice(-RECENT_DELIVERIES)
    .reverse();
  const webhookRows = webhooks.map(
    (webhook) =>
      html`<tr>
        <td><code>${webhook._id}</code></td>
        <td>${webhook.url}</td>
        <td>${webhook.eventTypes.join(", ")}</td>
        <td>${webhook.isEnabled ? "yes" : "no"}</td>
      </tr>`,
  );
  const deliveryRows = deliveries.map((delivery) => {
    const last = delivery.attempts[delivery.attempts.length - 1];
    return html`<tr>
      <td>${delivery.eventType}</td>
      <td>${delivery.url}</td>
      <td>${delivery.status}</td>
      <td>${delivery.attempts.length}</td>
      <td>${last?.statusCode ?? last?.error ?? "—"}</td>
    </tr>`;
  });
  return html`<section class="panel" aria-labelledby="webhooks-heading">
    <h2 id="webhooks-heading">Webhook subscriptions</h2>
    ${
      webhooks.length === 0
        ? html`<p class="empty">No webhook subscriptions yet.</p>`
        : html`<table>
            <thead>
              <tr>
                <th>Id</th>
                <th>URL</th>
                <th>Events</th>
                <th>Enabled</th>
              </tr>
            </thead>
            <tbody>
              ${webhookRows}
            </tbody>
          </table>`
    }
    <h2 style="margin-top:1rem">Recent deliveries</h2>
    ${
      deliveries.length === 0
        ? html`<p class="empty">No deliveries yet.</p>`
        : html`<table>
            <thead>
              <tr>
                <th>Event</th>
                <th>URL</th>
                <th>Status</th>
                <th>Attempts</th>
                <th>Last answer</th>
              </tr>
            </thead>
            <tbody>
              ${deliveryRows}
            </tbody>
          </table>`
    }
  </section>`;
}

/** GET / – OfficeRnD's admin side of the integration for one organisation. */
export function renderAdminPage(
  context: EmulatorContext,
  organization: Organization,
  { highlight = null }: { highlight?: string | null } = {},
): string {
  const view = organizationView(organization);
  const organizations = [...context.state.dataset.organizations.values()];
  const integrations = context.state.integrations
    .list(organization.slug)
    .map((integration) => integrationView(context, integration));
  const urls = partnerUrls(context.config.partnerUrl);
  const body = html`<header>
      <span class="brand">OfficeRnD emulator</span>
      <nav aria-label="Organisations">
        ${organizations.map((org) => html`<a href="/?org=${org.slug}" ${org.slug === organization.slug ? html` aria-current="page"` : html``}>${org.name}</a>`)}
      </nav>
    </header>
    <main>
      <section class="panel" aria-labelledby="org-heading">
        <h1 id="org-heading">${view.name}</h1>
        <p class="muted">
          Slug <code>${view.slug}</code> · id <code>${view._id}</code> · region
          <code>${context.publicUrl}</code> · partner Connect URL
          <code>${urls.connect}</code>
        </p>
        <table>
          <thead>
            <tr>
              <th>Location</th>
              <th>Code</th>
              <th>Timezone</th>
              <th>Members</th>
              <th>Companies</th>
              <th>Id</th>
            </tr>
          </thead>
          <tbody>
            ${view.locations.map(
              (location) =>
                html`<tr>
                  <td>${location.name}</td>
                  <td>${location.code}</td>
                  <td>${location.timezone}</td>
                  <td>${location.memberCount}</td>
                  <td>${location.companyCount}</td>
                  <td><code>${location._id}</code></td>
                </tr>`,
            )}
          </tbody>
        </table>
      </section>
      <section class="panel" aria-labelledby="add-heading">
        <h2 id="add-heading">Add integration</h2>
        ${addIntegrationForm(view)}
      </section>
      <section class="panel" aria-labelledby="integrations-heading">
        <h2 id="integrations-heading">Integrations</h2>
        <div class="integrations">
          ${integrations.length === 0 ? html`<p class="empty">No integrations yet. Add one above, then press Connect.</p>` : integrations.map((integration) => integrationCard(view, integration, integration._id === highlight))}
        </div>
      </section>
      ${webhookSection(context, organization.slug)}
    </main>`;
  return page({
    title: `${view.name} – OfficeRnD emulator`,
    body,
    styles: ADMIN_STYLES,
    script: ADMIN_SCRIPT,
  });
}
