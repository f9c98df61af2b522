import { Badge, type Tone } from "@/components/ui/badge";
import { TOKEN_STATE_LABELS, type TokenState } from "@/lib/installations/token-state";
import { runStatusGroup } from "@/lib/sync/run-status";

const INSTALLATION: Record<string, { tone: Tone; label: string }> = {
  active: { tone: "good", label: "Connected" },
  reconnect_required: { tone: "warn", label: "Reconnect required" },
  removed: { tone: "neutral", label: "Disconnected" },
};

export function InstallationStatusBadge({ status }: { status: string }) {
  const { tone, label } = INSTALLATION[status] ?? { tone: "neutral" as const, label: status };
  return <Badge tone={tone}>{label}</Badge>;
}

const RUN_TONES = { active: "info", succeeded: "good", failed: "bad", other: "neutral" } as const;

export function RunStatusBadge({ status }: { status: string }) {
  return <Badge tone={RUN_TONES[runStatusGroup(status)]}>{status}</Badge>;
}

const TOKEN_TONES: Record<TokenState, Tone> = {
  ok: "good",
  refreshing: "info",
  reconnect_required: "bad",
  disconnected: "neutral",
};

export function TokenStateBadge({ state }: { state: TokenState }) {
  return <Badge tone={TOKEN_TONES[state]}>{TOKEN_STATE_LABELS[state]}</Badge>;
}
