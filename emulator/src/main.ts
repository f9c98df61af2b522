// `npm run emulator` – starts the OfficeRnD emulator and prints exactly one stdout line,
// `EMULATOR_READY <public-url>`, once it listens. Everything else goes to stderr.
import { ZodError } from "zod";
import { USAGE, parseCliOptions } from "./cli-options";
import { startEmulator } from "./server";

async function main(): Promise<void> {
  let parsed: ReturnType<typeof parseCliOptions>;
  try {
    parsed = parseCliOptions(process.argv.slice(2), process.env);
  } catch (error) {
    console.error(`${error instanceof Error ? error.message : String(error)}\n${USAGE}`);
    process.exit(2);
  }
  if (parsed.help) {
    console.error(USAGE);
    return;
  }
  const emulator = await startEmulator(parsed.options);
  process.stdout.write(`EMULATOR_READY ${emulator.url}\n`);
  let isStopping = false;
  const stop = (signal: NodeJS.Signals) => {
    if (isStopping) return;
    isStopping = true;
    console.error(`[emulator] ${signal}: shutting down`);
    emulator.close().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.once("SIGINT", stop);
  process.once("SIGTERM", stop);
}

function describeError(error: unknown): string {
  if (error instanceof ZodError)
    return error.issues.map((issue) => `${issue.path.join(".")}: ${issue.message}`).join("; ");
  return error instanceof Error ? error.message : String(error);
}

main().catch((error: unknown) => {
  console.error(`[emulator] failed to start: ${describeError(error)}`);
  process.exit(1);
});
