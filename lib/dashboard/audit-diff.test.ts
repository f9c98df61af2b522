import { describe, expect, it } from "vitest";
import { diffAudit } from "./audit-diff";

describe("diffAudit", () => {
  it("lists only the leaves that changed, by dotted path", () => {
    const before = {
      name: "Downtown",
      settings: {
        syncMembers: true,
        memberStatuses: ["active"],
        fieldMapping: { member: { name: "name", properties: [] } },
      },
    };
    const after = {
      name: "Downtown",
      settings: {
        syncMembers: true,
        memberStatuses: ["active", "former"],
        fieldMapping: { member: { name: "email", properties: [{ from: "plan", to: "membershipPlan" }] } },
      },
    };
    expect(diffAudit(before, after)).toEqual([
      { path: "settings.memberStatuses", before: '["active"]', after: '["active","former"]' },
      { path: "settings.fieldMapping.member.name", before: "name", after: "email" },
      {
        path: "settings.fieldMapping.member.properties",
        before: "[]",
        after: '[{"from":"plan","to":"membershipPlan"}]',
      },
    ]);
  });

  it("shows additions and removals, and whole values for events without a before", () => {
    expect(diffAudit(null, { memberId: "m1", count: 2 })).toEqual([
      { path: "memberId", before: null, after: "m1" },
      { path: "count", before: null, after: "2" },
    ]);
    expect(diffAudit({ status: "active", gone: true }, { status: "removed" })).toEqual([
      { path: "status", before: "active", after: "removed" },
      { path: "gone", before: "true", after: null },
    ]);
  });

  it("shortens long values", () => {
    const [change] = diffAudit({}, { text: "x".repeat(200) });
    expect(change!.after).toHaveLength(80);
    expect(change!.after!.endsWith("…")).toBe(true);
  });
});
