import type { IncomingMessage, ServerResponse } from "node:http";
import { z } from "zod";
import { nestErrorBody } from "./errors";
import { sendJson, sendText } from "./responses";

// Injected failures for tests: match a path pattern (`*` = one segment, `**` = anything) and a method,
// then answer with a status/body/Retry-After, add latency, drop the connection or send garbage, a
// number of times or at a rate. Control routes under /_emulator are never faulted.

export const faultSchema = z
  .object({
    path: z.string().min(1),
    method: z.string().toUpperCase().optional(),
    status: z.int().min(100).max(599).optional(),
    body: z.unknown().optional(),
    headers: z.record(z.string(), z.string()).optional(),
    retryAfter: z.int().min(0).optional(),
    latencyMs: z.int().min(0).max(120_000).optional(),
    drop: z.boolean().optional(),
    garbage: z.boolean().optional(),
    /** Answer an empty list page: `[]` on /api/v1/…, `{results: [], cursorNext: null, …}` on /api/v2/…. */
    emptyList: z.boolean().optional(),
    /** Let the first N matching requests through untouched (e.g. an empty page mid-pass). */
    skip: z.int().min(0).optional(),
    times: z.int().min(1).optional(),
    rate: z.number().min(0).max(1).optional(),
  })
  .strict();

export type FaultInput = z.infer<typeof faultSchema>;

export type Fault = FaultInput & {
  id: string;
  hits: number;
  skipped: number;
  remaining: number | null;
  pattern: RegExp;
};

function globToRegExp(glob: string): RegExp {
  const escape = (text: string) => text.replace(/[.+?^${}()|[\]\\]/g, "\\$&").replace(/\*/g, "[^/]*");
  return new RegExp(`^${glob.split("**").map(escape).join(".*")}$`);
}

export class FaultStore {
  private faults: Fault[] = [];
  private counter = 0;

  add(input: FaultInput): Fault {
    this.counter += 1;
    const fault: Fault = {
      ...input,
      id: `fault-${this.counter}`,
      hits: 0,
      skipped: 0,
      remaining: input.times ?? null,
      pattern: globToRegExp(input.path),
    };
    this.faults.push(fault);
    return fault;
  }

  list(): Fault[] {
    return this.faults;
  }

  clear(): void {
    this.faults = [];
  }

  /** The first live fault for this request, consumed by one use; undefined when none fires. */
  take(method: string, pathname: string): Fault | undefined {
    for (const fault of this.faults) {
      if (fault.method && fault.method !== method) continue;
      if (!fault.pattern.test(pathname)) continue;
      if (fault.skipped < (fault.skip ?? 0)) {
        fault.skipped += 1;
        continue;
      }
      if (fault.rate !== undefined && Math.random() >= fault.rate) continue;
      fault.hits += 1;
      if (fault.remaining !== null) {
        fault.remaining -= 1;
        if (fault.remaining <= 0) this.faults = this.faults.filter((other) => other !== fault);
      }
      return fault;
    }
    return undefined;
  }
}

/** Public view of a fault (without the compiled pattern). */
export function describeFault({ pattern: _pattern, ...fault }: Fault) {
  return fault;
}

/**
 * Applies a fault. Returns true when the fault answered (or dropped) the request, false when the
 * request should go on to its handler (a latency-only fault).
 */
export async function applyFault(fault: Fault, req: IncomingMessage, res: ServerResponse): Promise<boolean> {
  if (fault.latencyMs) await new Promise((resolve) => setTimeout(resolve, fault.latencyMs));
  if (fault.drop) {
    req.socket.destroy();
    return true;
  }
  if (fault.garbage) {
    sendText(
      res,
      fault.status ?? 200,
      '{"results":[{"_id":"5f0c\u0000\u0007<html>not json',
      "application/json; charset=utf-8",
    );
    return true;
  }
  if (fault.emptyList) {
    const isV1 = new URL(req.url ?? "/", "http://emulator.invalid").pathname.startsWith("/api/v1/");
    sendJson(
      res,
      fault.status ?? 200,
      isV1 ? [] : { results: [], cursorNext: null, cursorPrev: null, rangeStart: 0, rangeEnd: 0 },
      { ...fault.headers },
    );
    return true;
  }
  if (fault.status === undefined) return false;
  const headers: Record<string, string> = { ...fault.headers };
  if (fault.retryAfter !== undefined) headers["retry-after"] = String(fault.retryAfter);
  if (typeof fault.body === "string") {
    res.writeHead(fault.status, { "content-type": "text/plain; charset=utf-8", ...headers });
    res.end(fault.body);
  } else {
    sendJson(res, fault.status, fault.body ?? nestErrorBody(fault.status, "Injected fault"), headers);
  }
  return true;
}
