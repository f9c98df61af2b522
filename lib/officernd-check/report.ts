import type { CheckReport, CheckRow, CheckStatus } from "./types";

// Rendering of the check's report: an aligned ✓/✗ table for people, or JSON for machines.

const SYMBOL: Record<CheckStatus, string> = { pass: "✓", fail: "✗", warn: "!", skip: "–" };

/** Replaces every known secret (client secret, tokens, webhook secrets) wherever it appears. */
export function redact(text: string, secrets: Iterable<string>): string {
  let result = text;
  for (const secret of secrets) if (secret.length >= 6) result = result.split(secret).join("[redacted]");
  return result;
}

export function redactReport(report: CheckReport, secrets: Iterable<string>): CheckReport {
  const list = [...secrets];
  const clean = (row: CheckRow): CheckRow => ({
    ...row,
    detail: redact(row.detail, list),
    action: redact(row.action, list),
  });
  return { ...report, rows: report.rows.map(clean) };
}

export function renderTable(report: CheckReport): string {
  const checkWidth = Math.max(...report.rows.map((row) => row.check.length), 5);
  const indent = " ".repeat(4 + checkWidth + 2);
  const lines = [
    `OfficeRnD check for organisation "${report.org}"`,
    `  identity ${report.identityUrl} · app ${report.appUrl}${report.regionUrl ? ` · region ${report.regionUrl}` : ""}`,
    "",
  ];
  for (const row of report.rows) {
    lines.push(`  ${SYMBOL[row.status]} ${row.check.padEnd(checkWidth)}  ${row.detail}`);
    if (row.action) lines.push(`${indent}→ ${row.action}`);
  }
  const failed = report.rows.filter((row) => row.status === "fail").length;
  const warned = report.rows.filter((row) => row.status === "warn").length;
  lines.push("");
  lines.push(
    report.blockers > 0
      ? `${report.blockers} blocker${report.blockers === 1 ? "" : "s"}: the app will not work against this organisation until ${report.blockers === 1 ? "it is" : "they are"} fixed.`
      : `No blockers${failed + warned > 0 ? ` (${failed} ✗ and ${warned} ! the app works around)` : ""}: the app can go live against this organisation${report.generation ? ` on API ${report.generation}` : ""}.`,
  );
  return `${lines.join("\n")}\n`;
}

export function renderJson(report: CheckReport): string {
  return `${JSON.stringify(report, null, 2)}\n`;
}
