// isBeforeConnection, one row per clause (issue 18 item 4): an `integration.removed` is ignored when it
// was received, signed or created before the current connection began. Each "true" row is true through
// exactly one clause, so deleting any clause fails its row.
import { describe, expect, it } from "vitest";
import { isBeforeConnection } from "./process-event";

const CONNECTED = new Date("2026-11-30T10:00:00.600Z");
const AFTER = new Date("2026-11-30T10:00:05.000Z");
const at = (iso: string) => new Date(iso);

describe("isBeforeConnection", () => {
  it.each([
    {
      clause: "none: received, signed and created after the connection",
      receivedAt: AFTER,
      signedAt: AFTER,
      createdAt: AFTER,
      expected: false,
    },
    {
      clause: "none: no createdAt in the event",
      receivedAt: AFTER,
      signedAt: AFTER,
      createdAt: undefined,
      expected: false,
    },
    {
      clause: "receivedAt: received before the connection",
      receivedAt: at("2026-11-30T10:00:00.599Z"),
      signedAt: AFTER,
      createdAt: AFTER,
      expected: true,
    },
    {
      clause: "receivedAt: received at the very moment of connecting counts as after",
      receivedAt: CONNECTED,
      signedAt: AFTER,
      createdAt: AFTER,
      expected: false,
    },
    {
      clause: "signedAt: signed a whole second before the connection's second",
      receivedAt: AFTER,
      signedAt: at("2026-11-30T09:59:59.000Z"),
      createdAt: AFTER,
      expected: true,
    },
    {
      clause: "signedAt: signed within the connection's second (t has whole seconds only)",
      receivedAt: AFTER,
      signedAt: at("2026-11-30T10:00:00.000Z"),
      createdAt: AFTER,
      expected: false,
    },
    {
      clause: "createdAt: created before the connection",
      receivedAt: AFTER,
      signedAt: AFTER,
      createdAt: at("2026-11-30T10:00:00.599Z"),
      expected: true,
    },
    {
      clause: "createdAt: created at the moment of connecting counts as after",
      receivedAt: AFTER,
      signedAt: AFTER,
      createdAt: CONNECTED,
      expected: false,
    },
  ])("$clause → $expected", ({ receivedAt, signedAt, createdAt, expected }) => {
    expect(isBeforeConnection({ receivedAt, signedAt, createdAt, connectedAt: CONNECTED })).toBe(expected);
  });
});
