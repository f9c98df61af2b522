import { describe, expect, it } from "vitest";
import { describeActor, describeAuditEvent, describeEnding, statusLabel } from "./audit-words";

const names = new Map([["user:1", "Maria Lopez"]]);

describe("describeActor", () => {
  it.each([
    ["user:1", "Maria Lopez"],
    ["user:2", "A former user"],
    ["officernd-admin:abc", "An OfficeRnD admin"],
    ["officernd:webhook", "OfficeRnD"],
    ["system", "The system"],
  ])("%s reads %s", (actor, expected) => {
    expect(describeActor(actor, { names })).toBe(expected);
  });
  it("is You for the viewer", () => {
    expect(describeActor("user:1", { names, viewerActor: "user:1" })).toBe("You");
  });
});

describe("describeAuditEvent", () => {
  const base = { actorLabel: "Maria Lopez", installationLabel: "Acme Coworking (Shoreditch)" };
  it("says who turned on sync for which location", () => {
    expect(
      describeAuditEvent({
        ...base,
        action: "location.settings.updated",
        before: { name: "Acme Shoreditch", syncEnabled: false },
        after: { name: "Acme Shoreditch", syncEnabled: true },
      }),
    ).toBe("Maria Lopez turned on sync for Acme Shoreditch");
  });
  it("lists what changed in a location's settings", () => {
    expect(
      describeAuditEvent({
        ...base,
        action: "location.settings.updated",
        before: {
          name: "Soho",
          syncEnabled: true,
          settings: { syncMembers: true, memberStatuses: ["active"], fieldMapping: { a: 1 } },
        },
        after: {
          name: "Soho",
          syncEnabled: true,
          settings: { syncMembers: false, memberStatuses: ["active", "drop-in"], fieldMapping: { a: 2 } },
        },
      }),
    ).toBe(
      "Maria Lopez changed the settings of Soho: stopped syncing members; member statuses now Active, Drop-in; changed the field mapping",
    );
  });
  it("tells a removal in OfficeRnD from a disconnect", () => {
    expect(
      describeAuditEvent({
        ...base,
        actorLabel: "OfficeRnD",
        action: "installation.removed",
        before: {},
        after: { reason: "integration.removed" },
      }),
    ).toBe("OfficeRnD removed the integration for Acme Coworking (Shoreditch) in OfficeRnD");
    expect(
      describeAuditEvent({
        ...base,
        action: "installation.removed",
        before: {},
        after: { reason: "disconnect" },
      }),
    ).toBe("Maria Lopez disconnected Acme Coworking (Shoreditch)");
  });
  it("counts a confirmed removal", () => {
    expect(
      describeAuditEvent({
        ...base,
        action: "location.records.removal_confirmed",
        before: {},
        after: { name: "Soho", confirmed: 111, removed: { members: 111, companies: 0 } },
      }),
    ).toBe("Maria Lopez confirmed removing 111 members from Soho");
  });
  it("falls back to the raw action", () => {
    expect(describeAuditEvent({ ...base, action: "something.new", before: null, after: null })).toBe(
      "Maria Lopez: something.new",
    );
  });
});

describe("describeEnding", () => {
  it.each([
    [{ actorLabel: "OfficeRnD", reason: "integration.removed" }, "Removed in OfficeRnD"],
    [{ actorLabel: "You", reason: "disconnect" }, "Disconnected by you"],
    [{ actorLabel: "An OfficeRnD admin", reason: "disconnect" }, "Disconnected by an OfficeRnD admin"],
  ])("%j → %s", (input, expected) => {
    expect(describeEnding(input)).toBe(expected);
  });
});

it("labels statuses in words", () => {
  expect(statusLabel("not_approved")).toBe("Not approved");
  expect(statusLabel("drop-in")).toBe("Drop-in");
});
