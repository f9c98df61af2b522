import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { createContext, type EmulatorContext } from "./context";
import { HttpError, nestError, nestErrorBody } from "./http/errors";
import { applyFault } from "./http/faults";
import { sendJson } from "./http/responses";
import type { Router } from "./http/router";
import { resolveOptions, type EmulatorOptions } from "./options";
import { buildRouter } from "./routes";

export type StartedEmulator = {
  /** The public base URL (also the organisations' regionUrl and the identity server). */
  url: string;
  port: number;
  /** The second listener: the organisations' regionUrl under the `region` profile (the same routes). */
  regionUrl: string;
  regionPort: number;
  close(): Promise<void>;
};

const CONTROL_PREFIX = "/_emulator";

async function handle({
  req,
  res,
  context,
  router,
}: {
  req: IncomingMessage;
  res: ServerResponse;
  context: EmulatorContext;
  router: Router<EmulatorContext>;
}) {
  const startedMs = performance.now();
  const method = req.method ?? "GET";
  let counted: string | null = null;
  try {
    const url = new URL(req.url ?? "/", "http://emulator.invalid");
    const pathname = url.pathname.length > 1 ? url.pathname.replace(/\/+$/, "") : url.pathname;
    if (!pathname.startsWith(CONTROL_PREFIX)) {
      counted = pathname;
      const fault = context.faults.take(method, pathname);
      if (fault && (await applyFault(fault, req, res))) return;
    }
    const match = router.match(method, pathname);
    // NestJS answers unknown routes (and unknown methods on known paths) with a 404 like this one.
    if ("allowed" in match) throw nestError(404, `Cannot ${method} ${url.pathname}`);
    await match.handler({ req, res, url, params: match.params, context });
  } catch (error) {
    if (res.headersSent) {
      res.destroy();
    } else if (error instanceof HttpError) {
      sendJson(res, error.status, error.body, { ...error.headers });
    } else {
      console.error("[emulator] unhandled error", error);
      sendJson(res, 500, nestErrorBody(500, "Internal server error"));
    }
  } finally {
    if (counted !== null) context.state.requests.record(method, counted, res.statusCode);
    if (context.options.verbose)
      console.error(
        `[emulator] ${method} ${req.url ?? ""} ${res.statusCode} ${Math.round(performance.now() - startedMs)}ms`,
      );
  }
}

/** Starts the emulator; `port: 0` picks a free port. Resolves once it listens. */
export async function startEmulator(input: Partial<EmulatorOptions> = {}): Promise<StartedEmulator> {
  const options = resolveOptions(input);
  const router = buildRouter();
  const holder: { context?: EmulatorContext } = {};
  const listener = (req: IncomingMessage, res: ServerResponse) => {
    // The context needs the bound ports (for the public URLs), so it exists only once listening.
    if (holder.context) void handle({ req, res, context: holder.context, router });
    else sendJson(res, 503, nestErrorBody(503, "Emulator is starting"));
  };
  const server = createServer(listener);
  const regionServer = createServer(listener);
  const listen = (target: typeof server, port: number) =>
    new Promise<number>((resolve, reject) => {
      target.once("error", reject);
      target.listen(port, options.host, () => resolve((target.address() as AddressInfo).port));
    });
  const port = await listen(server, options.port);
  const regionPort = await listen(regionServer, options.regionPort).catch(async (error: unknown) => {
    await new Promise((resolve) => server.close(resolve));
    throw error;
  });
  const url = options.publicUrl ?? `http://localhost:${port}`;
  const regionUrl = options.regionUrl ?? `http://localhost:${regionPort}`;
  const context = createContext(options, url, { url: regionUrl, port: regionPort });
  holder.context = context;
  const closeServer = (target: typeof server) => {
    const closed = new Promise<void>((resolve) => target.close(() => resolve()));
    target.closeAllConnections();
    return closed;
  };
  return {
    url,
    port,
    regionUrl,
    regionPort,
    close: async () => {
      context.state.dispatcher.stop();
      await Promise.all([closeServer(server), closeServer(regionServer)]);
    },
  };
}
