// Client-side behaviour of the admin page: pop-ups for Connect/Configure (opened synchronously on
// click so pop-up blockers allow them), fetch calls for server-side actions, and a reload when the
// Connect pop-up reports back or closes.

export const ADMIN_SCRIPT = `
const POPUP_FEATURES = "popup,width=500,height=700";

function watchPopup(popup) {
  if (!popup) return;
  const timer = setInterval(() => {
    if (popup.closed) { clearInterval(timer); location.reload(); }
  }, 500);
}

window.addEventListener("message", (event) => {
  if (event.origin === location.origin && event.data && event.data.type === "officernd:external-integration-return") location.reload();
});

function show(output, title, status, body) {
  const ok = typeof status === "number" && status >= 200 && status < 300;
  output.innerHTML = "";
  const line = document.createElement("div");
  const label = document.createElement("span");
  label.className = ok ? "status-ok" : "status-bad";
  label.textContent = title + ": " + (status === null ? "no response" : status);
  line.append(label);
  const pre = document.createElement("pre");
  pre.textContent = typeof body === "string" ? body : JSON.stringify(body, null, 2);
  output.append(line, pre);
}

async function post(url, body) {
  const response = await fetch(url, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body || {}) });
  return { status: response.status, body: await response.json().catch(() => null) };
}

document.addEventListener("click", async (event) => {
  const button = event.target.closest("button[data-action]");
  if (!button) return;
  const card = button.closest("[data-integration-id]");
  const id = card.dataset.integrationId;
  const output = card.querySelector("output");
  const action = button.dataset.action;
  if (action === "connect") return watchPopup(window.open("/admin/integrations/" + id + "/connect", "officernd-connect", POPUP_FEATURES));
  if (action === "configure") return void window.open("/admin/integrations/" + id + "/configure", "officernd-configure", POPUP_FEATURES);
  button.setAttribute("aria-busy", "true");
  button.disabled = true;
  try {
    if (action === "healthcheck" || action === "sync-on" || action === "sync-off") {
      const target = action === "healthcheck" ? "healthcheck" : "sync";
      const { body } = await post("/admin/integrations/" + id + "/signed-call", { target, enabled: action === "sync-on" });
      show(output, button.textContent.trim(), body.status, body.error ? body.error : body.body);
    } else if (action === "activity") {
      const { status, body } = await post("/admin/integrations/" + id + "/activity");
      show(output, "Generate activity", status, body);
    } else if (action === "remove") {
      await post("/admin/integrations/" + id + "/remove");
      location.reload();
    }
  } catch (error) {
    show(output, button.textContent.trim(), null, String(error));
  } finally {
    button.removeAttribute("aria-busy");
    button.disabled = false;
  }
});

for (const form of document.querySelectorAll("form[data-add-integration]")) {
  const sync = () => {
    const all = form.querySelector("input[name=scope][value=all]").checked;
    for (const box of form.querySelectorAll("input[name=location]")) box.disabled = all;
  };
  form.addEventListener("change", sync);
  sync();
}

// A deep link (?integration=<id>) to one integration: bring its card into view and put focus on it.
const highlighted = document.querySelector("article.integration[data-highlighted]");
if (highlighted) {
  highlighted.scrollIntoView({ block: "center" });
  highlighted.focus({ preventScroll: true });
}
`;
