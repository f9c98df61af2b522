// npm run officernd:check -- --org <slug> [--json] – before going live: asks your real OfficeRnD
// organisation, with your developer application's client credentials, everything the app depends on,
// and prints a ✓/✗ table with the reason and what to do. Exit 0: no blocker; 1: a blocker; 2: bad usage.
// Never prints a secret or a token; the test webhook subscription it creates is deleted before it exits.
// See README "Before going live".
import { parseArgs } from "node:util";
import { redact, renderJson, renderTable } from "@/lib/officernd-check/report";
import { runCheck } from "@/lib/officernd-check/run-check";
import { LEGACY_SCOPES } from "@/lib/officernd-check/scopes";
import { errorSummary } from "@/lib/log";
import type { CheckOptions } from "@/lib/officernd-check/types";

const USAGE = `Usage: npm run officernd:check -- --org <slug> [flags]
  --org SLUG             the organisation's slug (required)
  --identity-url URL     OfficeRnD's identity server   (OFFICERND_IDENTITY_URL, default https://identity.officernd.com;
                         staging: https://identity-staging.officernd.com)
  --app-url URL          OfficeRnD's app / API          (OFFICERND_APP_URL, default https://app.officernd.com;
                         staging: https://staging.officernd.com)
  --client-id ID         the developer application     (OFFICERND_CLIENT_ID)
                         its secret only from the environment: OFFICERND_CLIENT_SECRET
  --scopes "A B"         the scopes the app requests   (OFFICERND_SCOPES, default "${LEGACY_SCOPES}")
  --webhook-url URL      where the (disabled) test subscription points (default <APP_URL>/api/officernd/webhooks)
  --timeout-ms N         per request (default 10000)
  --json                 print the report as JSON`;

const trimUrl = (value: string) => value.replace(/\/+$/, "");

function usageError(message: string): never {
  process.stderr.write(`${message}\n${USAGE}\n`);
  process.exit(2);
}

function readOptions(argv: string[], env: NodeJS.ProcessEnv): { options: CheckOptions; json: boolean } {
  let values: Record<string, string | boolean | undefined>;
  try {
    values = parseArgs({
      args: argv,
      options: {
        org: { type: "string" },
        "identity-url": { type: "string" },
        "app-url": { type: "string" },
        "client-id": { type: "string" },
        scopes: { type: "string" },
        "webhook-url": { type: "string" },
        "timeout-ms": { type: "string" },
        json: { type: "boolean" },
        help: { type: "boolean", short: "h" },
      },
      strict: true,
    }).values;
  } catch (error) {
    usageError(errorSummary(error));
  }
  if (values.help) {
    process.stdout.write(`${USAGE}\n`);
    process.exit(0);
  }
  const text = (name: string) =>
    typeof values[name] === "string" && values[name] !== "" ? (values[name] as string) : undefined;
  const org = text("org");
  if (!org) usageError("--org is required.");
  const clientId = text("client-id") ?? env.OFFICERND_CLIENT_ID;
  const clientSecret = env.OFFICERND_CLIENT_SECRET;
  if (!clientId) usageError("Set OFFICERND_CLIENT_ID (or --client-id).");
  if (!clientSecret)
    usageError(
      "Set OFFICERND_CLIENT_SECRET in the environment (never as a flag: flags show in the process list).",
    );
  const urls = {
    identityUrl: text("identity-url") ?? env.OFFICERND_IDENTITY_URL ?? "https://identity.officernd.com",
    appUrl: text("app-url") ?? env.OFFICERND_APP_URL ?? "https://app.officernd.com",
    webhookUrl:
      text("webhook-url") ?? `${trimUrl(env.APP_URL ?? "https://example.com")}/api/officernd/webhooks`,
  };
  for (const [name, value] of Object.entries(urls))
    if (!URL.canParse(value) || !/^https?:$/.test(new URL(value).protocol))
      usageError(`${name} is not an http(s) URL: ${value}`);
  const timeoutMs = Number(text("timeout-ms") ?? 10_000);
  if (!Number.isInteger(timeoutMs) || timeoutMs < 100) usageError("--timeout-ms must be an integer ≥ 100.");
  return {
    options: {
      org,
      clientId,
      clientSecret,
      identityUrl: trimUrl(urls.identityUrl),
      appUrl: trimUrl(urls.appUrl),
      webhookUrl: urls.webhookUrl,
      appScopes: text("scopes") ?? env.OFFICERND_SCOPES ?? LEGACY_SCOPES,
      timeoutMs,
    },
    json: values.json === true,
  };
}

async function main(): Promise<number> {
  const { options, json } = readOptions(process.argv.slice(2), process.env);
  const report = await runCheck(options);
  process.stdout.write(json ? renderJson(report) : renderTable(report));
  return report.ok ? 0 : 1;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    // An unexpected failure: say what, never with a request's headers (they hold the token).
    const message = errorSummary(error);
    process.stderr.write(
      `officernd:check failed: ${redact(message, [process.env.OFFICERND_CLIENT_SECRET ?? ""])}\n`,
    );
    process.exit(1);
  },
);
