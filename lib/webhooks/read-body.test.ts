import { describe, expect, it } from "vitest";
import { readBodyWithLimit } from "@/lib/webhooks/read-body";

function streamOf(chunks: number[], chunkSize: number): ReadableStream<Uint8Array> {
  let pulled = 0;
  return new ReadableStream({
    pull(controller) {
      if (pulled >= chunks.length) return controller.close();
      controller.enqueue(new Uint8Array(chunkSize).fill(chunks[pulled++]!));
    },
  });
}

const post = (body: BodyInit, headers: Record<string, string> = {}) =>
  new Request("http://x.test/", { method: "POST", body, headers, duplex: "half" } as RequestInit);

describe("readBodyWithLimit", () => {
  it("returns the exact bytes of a body within the limit", async () => {
    const result = await readBodyWithLimit(post(new Uint8Array([1, 2, 3])), 3);
    expect(result).toEqual({ ok: true, bytes: new Uint8Array([1, 2, 3]) });
  });

  it("refuses by a declared Content-Length before reading anything", async () => {
    const body = streamOf([1], 10);
    const result = await readBodyWithLimit(post(body, { "content-length": "5000" }), 100);
    expect(result).toEqual({ ok: false, reason: "too_large" });
  });

  it("stops reading a stream as soon as it passes the limit, whatever Content-Length said", async () => {
    let pulls = 0;
    const body = new ReadableStream<Uint8Array>({
      pull(controller) {
        pulls++;
        controller.enqueue(new Uint8Array(1000));
      },
    });
    const result = await readBodyWithLimit(post(body), 2500);
    expect(result).toEqual({ ok: false, reason: "too_large" });
    expect(pulls).toBeLessThan(10);
  });

  it("accepts a body of exactly the limit and an empty body", async () => {
    expect((await readBodyWithLimit(post(streamOf([7, 7], 50)), 100)).ok).toBe(true);
    expect(await readBodyWithLimit(new Request("http://x.test/", { method: "POST" }), 100)).toEqual({
      ok: true,
      bytes: new Uint8Array(0),
    });
  });
});
