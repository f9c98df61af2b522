import type { ServerResponse } from "node:http";

export function sendJson(
  res: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    "content-type": "application/json; charset=utf-8",
    "content-length": Buffer.byteLength(text),
    ...headers,
  });
  res.end(text);
}

export function sendHtml(res: ServerResponse, status: number, html: string): void {
  res.writeHead(status, {
    "content-type": "text/html; charset=utf-8",
    "content-length": Buffer.byteLength(html),
    "cache-control": "no-store",
  });
  res.end(html);
}

export function sendText(
  res: ServerResponse,
  status: number,
  text: string,
  contentType = "text/plain; charset=utf-8",
): void {
  res.writeHead(status, { "content-type": contentType, "content-length": Buffer.byteLength(text) });
  res.end(text);
}

export function redirect(res: ServerResponse, location: string, status = 302): void {
  res.writeHead(status, { location, "content-length": 0 });
  res.end();
}

/** Waits for the socket to take more data, or to go away (a client that stopped reading). */
function drainedOrClosed(res: ServerResponse): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      res.off("drain", done);
      res.off("close", done);
      resolve();
    };
    res.on("drain", done);
    res.on("close", done);
  });
}

/** Writes NDJSON lines with back-pressure, so a million-record snapshot never sits in memory. */
export async function streamNdjson(res: ServerResponse, records: Iterable<unknown>): Promise<void> {
  res.writeHead(200, { "content-type": "application/x-ndjson; charset=utf-8" });
  let batch = "";
  for (const record of records) {
    batch += `${JSON.stringify(record)}\n`;
    if (batch.length < 64_000) continue;
    const isFlushed = res.write(batch);
    batch = "";
    if (!isFlushed) await drainedOrClosed(res);
    if (res.destroyed) return;
  }
  res.end(batch);
}
