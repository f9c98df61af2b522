// `npm run test:mutation` only: stands in for ./emulator.ts (vitest.mutation.config.ts aliases it).
// The emulator for these start-up arguments comes from mutation-global-setup.ts's broker, which keeps
// it running across mutants; `stop` puts it back to its start-up state (data, tokens, integrations,
// webhooks, faults, clock, config) instead of ending the process, so every test file still starts
// from a fresh emulator.
import { inject } from "vitest";

export type EmulatorProcess = {
  url: string;
  stop: () => Promise<void>;
  control: <T = unknown>(route: string, body?: unknown, method?: string) => Promise<T>;
};

export async function startEmulatorProcess(args: string[] = []): Promise<EmulatorProcess> {
  const response = await fetch(inject("mutationEmulatorBroker"), {
    method: "POST",
    body: JSON.stringify(args),
  });
  if (!response.ok) throw new Error(`Emulator broker: ${response.status} ${await response.text()}`);
  const { url } = (await response.json()) as { url: string };
  const control = async <T>(route: string, body?: unknown, method = body === undefined ? "GET" : "POST") => {
    const answer = await fetch(`${url}${route}`, {
      method,
      headers: { "content-type": "application/json" },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    if (!answer.ok) throw new Error(`${method} ${route} → ${answer.status}: ${await answer.text()}`);
    return (await answer.json()) as T;
  };
  // A file that starts where the previous one left (e.g. after a runner restart) starts clean too.
  await control("/_emulator/reset", {});
  return {
    url,
    control,
    stop: async () => {
      await control("/_emulator/reset", {});
    },
  };
}
