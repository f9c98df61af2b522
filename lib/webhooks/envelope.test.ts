import { describe, expect, it } from "vitest";
import { dedupeKeyFor, entityEventOf, eventCreatedAt, webhookEnvelopeSchema } from "@/lib/webhooks/envelope";

const bytes = (text: string) => new TextEncoder().encode(text);

describe("webhookEnvelopeSchema", () => {
  it("accepts the documented shape and keeps unknown fields", () => {
    const parsed = webhookEnvelopeSchema.parse({
      eventType: "member.updated",
      data: { object: { _id: "m1", name: "Ann" }, previousAttributes: { name: "An" } },
      extra: 1,
    });
    expect(parsed.data.object).toEqual({ _id: "m1", name: "Ann" });
    expect(parsed).toMatchObject({ extra: 1 });
  });

  it("tolerates a numeric id and an odd createdAt, refuses a missing object id", () => {
    expect(
      webhookEnvelopeSchema.parse({ id: 42, createdAt: 7, eventType: "x", data: { object: { _id: "a" } } }),
    ).toMatchObject({
      id: "42",
      createdAt: undefined,
    });
    expect(webhookEnvelopeSchema.safeParse({ eventType: "x", data: { object: {} } }).success).toBe(false);
    expect(webhookEnvelopeSchema.safeParse({ eventType: "", data: { object: { _id: "a" } } }).success).toBe(
      false,
    );
  });
});

describe("dedupeKeyFor", () => {
  const envelope = (id?: string) =>
    webhookEnvelopeSchema.parse({ id, eventType: "member.updated", data: { object: { _id: "m1" } } });

  it("uses the event id when present, scoped to the installation", () => {
    const a = dedupeKeyFor({
      installationId: "i1",
      envelope: envelope("e1"),
      rawBody: bytes("a"),
      timestamp: 1,
    });
    expect(a).toBe(
      dedupeKeyFor({ installationId: "i1", envelope: envelope("e1"), rawBody: bytes("b"), timestamp: 2 }),
    );
    expect(a).not.toBe(
      dedupeKeyFor({ installationId: "i2", envelope: envelope("e1"), rawBody: bytes("a"), timestamp: 1 }),
    );
  });

  it("otherwise hashes the raw body and the signed timestamp", () => {
    const key = (body: string, t: number) =>
      dedupeKeyFor({ installationId: "i1", envelope: envelope(), rawBody: bytes(body), timestamp: t });
    expect(key("{}", 1)).toBe(key("{}", 1));
    expect(key("{}", 1)).not.toBe(key("{}", 2));
    expect(key("{}", 1)).not.toBe(key("{ }", 1));
  });
});

describe("entityEventOf", () => {
  it.each([
    ["member.created", { kind: "members", action: "created" }],
    ["company.updated", { kind: "companies", action: "updated" }],
    ["location.removed", { kind: "locations", action: "removed" }],
    ["member.paymentdetails.removed", null],
    ["integration.removed", null],
    ["invoice.created", null],
    ["member.archived", null],
  ])("%s", (eventType, expected) => {
    expect(entityEventOf(eventType)).toEqual(expected);
  });
});

describe("eventCreatedAt", () => {
  it("reads a valid createdAt only", () => {
    const parse = (createdAt: unknown) =>
      eventCreatedAt(
        webhookEnvelopeSchema.parse({ createdAt, eventType: "x", data: { object: { _id: "a" } } }),
      );
    expect(parse("2024-05-01T10:00:00.000Z")?.toISOString()).toBe("2024-05-01T10:00:00.000Z");
    expect(parse("yesterday")).toBeUndefined();
    expect(parse(undefined)).toBeUndefined();
  });
});
