// Pure: audit events in words ("Maria turned on sync for Acme Shoreditch") for the dashboard's audit
// log and the configuration page's "who ended it". Raw action names and ids stay behind a disclosure.

export type ActorNames = { names: ReadonlyMap<string, string>; viewerActor?: string | null };

/** "You", "Maria Lopez", "An OfficeRnD admin", "OfficeRnD", "The system", "A former user". */
export function describeActor(actor: string, { names, viewerActor }: ActorNames): string {
  if (viewerActor && actor === viewerActor) return "You";
  if (actor.startsWith("user:")) return names.get(actor) ?? "A former user";
  if (actor.startsWith("officernd-admin:")) return "An OfficeRnD admin";
  if (actor.startsWith("officernd")) return "OfficeRnD";
  if (actor === "system") return "The system";
  return actor;
}

/** Actions grouped for the log's filter; each group lists action prefixes. */
export const AUDIT_ACTION_GROUPS = {
  settings: { label: "Settings changes", prefixes: ["location."] },
  sync: { label: "Syncs and sync on/off", prefixes: ["sync.", "installation.sync_enabled"] },
  connection: {
    label: "Connect and disconnect",
    prefixes: [
      "installation.connected",
      "installation.reconnected",
      "installation.removed",
      "installation.reconnect_required",
    ],
  },
  account: { label: "Account", prefixes: ["account."] },
} as const;
export type AuditActionGroup = keyof typeof AUDIT_ACTION_GROUPS;

/** Opening the configuration is not a change: the log leaves these out. */
export const HIDDEN_AUDIT_ACTIONS = ["configure.session_started"] as const;

export type AuditFacts = {
  action: string;
  actorLabel: string;
  before: unknown;
  after: unknown;
  /** The installation's organisation and covered locations, e.g. "Acme Coworking (Shoreditch)". */
  installationLabel: string | null;
};

/** One sentence, starting with the actor. Unknown actions read "<actor>: <action>". */
export function describeAuditEvent({
  action,
  actorLabel,
  before,
  after,
  installationLabel,
}: AuditFacts): string {
  const old = record(before);
  const now = record(after);
  const org = installationLabel ?? "an installation";
  const location = text(now.name) ?? text(old.name) ?? "a location";
  switch (action) {
    case "location.settings.updated":
      return `${actorLabel} ${describeSettingsChange(old, now, location)}`;
    case "location.records.removal_confirmed":
      return `${actorLabel} confirmed removing ${describeRemoval(record(now.removed))} from ${location}`;
    case "sync.requested":
      return `${actorLabel} started a sync of ${location}`;
    case "installation.sync_enabled.set": {
      const isOn = now.syncEnabled === true;
      const unchanged = old.syncEnabled === now.syncEnabled;
      return `${actorLabel} ${unchanged ? `asked to turn sync ${isOn ? "on" : "off"} for ${org} (it already was)` : `turned sync ${isOn ? "on" : "off"} for ${org}`}`;
    }
    case "installation.connected":
      return `${actorLabel} connected ${org} to this account`;
    case "installation.reconnected":
      return `${actorLabel} reconnected ${org}`;
    case "installation.removed":
      return now.reason === "integration.removed"
        ? `${actorLabel} removed the integration for ${org} in OfficeRnD`
        : `${actorLabel} disconnected ${org}`;
    case "installation.reconnect_required":
      return `${actorLabel} stopped accepting the connection to ${org}: it must be reconnected`;
    case "account.created":
      return `${actorLabel} created the account ${text(now.accountName) ?? ""}`.trimEnd();
    case "configure.session_started":
      return `${actorLabel} opened the configuration of ${org}`;
    default:
      return `${actorLabel}: ${action}`;
  }
}

/** How an installation ended, for its status lines: "Disconnected by you", "Removed in OfficeRnD". */
export function describeEnding({ actorLabel, reason }: { actorLabel: string; reason: unknown }): string {
  if (reason === "integration.removed") return "Removed in OfficeRnD";
  return `Disconnected by ${actorLabel === "You" ? "you" : actorLabel.replace(/^An /, "an ").replace(/^The /, "the ")}`;
}

function describeSettingsChange(
  old: Record<string, unknown>,
  now: Record<string, unknown>,
  location: string,
): string {
  if (old.syncEnabled === false && now.syncEnabled === true) return `turned on sync for ${location}`;
  if (old.syncEnabled === true && now.syncEnabled === false) return `turned off sync for ${location}`;
  const before = record(old.settings);
  const after = record(now.settings);
  const parts: string[] = [];
  for (const [key, noun] of [
    ["syncMembers", "members"],
    ["syncCompanies", "companies"],
  ] as const) {
    if (before[key] !== after[key] && typeof after[key] === "boolean")
      parts.push(`${after[key] ? "started" : "stopped"} syncing ${noun}`);
  }
  const statuses = Array.isArray(after.memberStatuses) ? after.memberStatuses.map(String) : null;
  if (statuses && JSON.stringify(before.memberStatuses) !== JSON.stringify(after.memberStatuses)) {
    parts.push(`member statuses now ${statuses.map(statusLabel).join(", ")}`);
  }
  if (JSON.stringify(before.fieldMapping) !== JSON.stringify(after.fieldMapping))
    parts.push("changed the field mapping");
  if (parts.length === 0) return `changed the settings of ${location}`;
  return `changed the settings of ${location}: ${parts.join("; ")}`;
}

function describeRemoval(after: Record<string, unknown>): string {
  const members = typeof after.members === "number" ? after.members : 0;
  const companies = typeof after.companies === "number" ? after.companies : 0;
  const parts = [
    members > 0 || companies === 0 ? plural(members, "member") : null,
    companies > 0 ? plural(companies, "company", "companies") : null,
  ];
  return parts.filter(Boolean).join(" and ");
}

export const MEMBER_STATUS_LABELS: Record<string, string> = {
  active: "Active",
  former: "Former",
  pending: "Pending",
  contact: "Contact",
  not_approved: "Not approved",
  "drop-in": "Drop-in",
  lead: "Lead",
  inactive: "Inactive",
};

export function statusLabel(status: string): string {
  return (
    MEMBER_STATUS_LABELS[status] ?? status.replace(/[_-]/g, " ").replace(/^./, (first) => first.toUpperCase())
  );
}

function plural(count: number, one: string, many = `${one}s`): string {
  return `${count.toLocaleString("en-GB")} ${count === 1 ? one : many}`;
}

function record(value: unknown): Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : {};
}

function text(value: unknown): string | null {
  return typeof value === "string" && value ? value : null;
}
