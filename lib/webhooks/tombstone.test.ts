import { expect, it } from "vitest";
import { tombstoneRow } from "@/lib/webhooks/tombstone";

it("a tombstone keeps only ids and times: no name, email, status or document fields", () => {
  expect(
    tombstoneRow({
      remoteId: "m1",
      locationId: "loc2",
      version: "2026-11-29T10:00:00.000Z",
      deletedAt: "2026-11-30T08:00:00.000Z",
    }),
  ).toEqual({
    remoteId: "m1",
    locationId: "loc2",
    companyId: null,
    name: "",
    email: null,
    status: null,
    data: { _id: "m1", modifiedAt: "2026-11-29T10:00:00.000Z" },
    remoteModifiedAt: "2026-11-29T10:00:00.000Z",
    deletedAt: "2026-11-30T08:00:00.000Z",
    mapped: null,
  });
});
