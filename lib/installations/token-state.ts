// Pure: the header's "health at a glance" states.

export type TokenState = "ok" | "refreshing" | "reconnect_required" | "disconnected";

export const TOKEN_STATE_LABELS: Record<TokenState, string> = {
  ok: "OK",
  refreshing: "Refreshing",
  reconnect_required: "Reconnect required",
  disconnected: "Disconnected",
};

/**
 * "refreshing" is a token that is expired or about to be (lib/officernd/tokens.ts refreshes it on its
 * next use, 60 s ahead); without a refresh token that cannot happen, so it is "reconnect required".
 */
export function tokenState({
  status,
  tokenExpiresAt,
  hasRefreshToken,
  now,
  marginMs = 60_000,
}: {
  status: "active" | "reconnect_required" | "removed";
  tokenExpiresAt: Date | null;
  hasRefreshToken: boolean;
  now: Date;
  marginMs?: number;
}): TokenState {
  if (status === "removed") return "disconnected";
  if (status === "reconnect_required") return "reconnect_required";
  if (tokenExpiresAt && tokenExpiresAt.getTime() - now.getTime() > marginMs) return "ok";
  return hasRefreshToken ? "refreshing" : "reconnect_required";
}

/** OfficeRnD's return URL: where Done (and the end of Connect) sends the admin. */
export function officeRndReturnUrl(regionUrl: string): string {
  return `${regionUrl.replace(/\/+$/, "")}/connect/external-integration/return`;
}
