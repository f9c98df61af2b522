// Issue 11 part 4: every shape of signed GET OfficeRnD may plausibly send (api.md §2, §3a, §6). Extra
// parameters are signed data and verify; an empty value the sender left out of the signature is
// tolerated; order is never guessed at.
import { describe, expect, it } from "vitest";
import { buildSignedQuery, signQuery, verifySignedQuery, type QueryParam } from "./signature";
import { locationsKeyOf, paramValue, unquoteOrganizationId } from "./signed-query";

const SECRET = "test-integration-secret";
const T = 1_700_000_000;
const AT = { now: T };
const ORG = "5b5b68eb74565a0e0000b068";
const MEMBER = "5bcf48410467da0f003f474d";

/** The received query: `received` in order, with the signature computed over `signed`. */
const query = (received: QueryParam[], signed: QueryParam[] = received) => {
  const search = new URLSearchParams(received);
  search.append("signature", signQuery(signed, SECRET, T));
  return search.toString();
};

describe("signed-parameter variants", () => {
  it("memberId= sent empty but signed without it (the official sample drops a falsy memberId) → verifies", () => {
    const signed: QueryParam[] = [
      ["slug", "acme"],
      ["locations", "loc1,loc2"],
      ["organizationId", ORG],
    ];
    const result = verifySignedQuery(query([...signed, ["memberId", ""]], signed), [SECRET], AT);
    expect(result).toMatchObject({ ok: true, variant: "empty-dropped-except-locations" });
    expect(result.ok && paramValue(result.params, "memberId")).toBe("");
  });

  it("memberId= empty with an all-locations `locations=` (kept, as in the real vector) → verifies", () => {
    const signed: QueryParam[] = [
      ["slug", "acme"],
      ["locations", ""],
      ["organizationId", ORG],
    ];
    expect(verifySignedQuery(query([...signed, ["memberId", ""]], signed), [SECRET], AT)).toMatchObject({
      ok: true,
      variant: "empty-dropped-except-locations",
    });
  });

  it("every empty value left out of the signature, locations= included → verifies", () => {
    const signed: QueryParam[] = [
      ["slug", "acme"],
      ["organizationId", ORG],
    ];
    const received: QueryParam[] = [
      ["slug", "acme"],
      ["locations", ""],
      ["organizationId", ORG],
      ["memberId", ""],
    ];
    expect(verifySignedQuery(query(received, signed), [SECRET], AT)).toMatchObject({
      ok: true,
      variant: "empty-dropped",
    });
  });

  it("memberId= empty and signed as received → verifies as received", () => {
    const params: QueryParam[] = [
      ["slug", "acme"],
      ["locations", "loc1"],
      ["organizationId", ORG],
      ["memberId", ""],
    ];
    expect(verifySignedQuery(query(params), [SECRET], AT)).toMatchObject({
      ok: true,
      variant: "as-received",
    });
  });

  it("userId added (a third-party DTO accepts it) → signed data, verifies", () => {
    const params: QueryParam[] = [
      ["slug", "acme"],
      ["locations", "loc1"],
      ["organizationId", ORG],
      ["memberId", MEMBER],
      ["userId", "5bcf48410467da0f003f4711"],
    ];
    expect(verifySignedQuery(query(params), [SECRET], AT)).toMatchObject({
      ok: true,
      variant: "as-received",
      params,
    });
  });

  it("unknown extra parameters anywhere in the order are signed data, never refused", () => {
    const params: QueryParam[] = [
      ["dataSync", "true"],
      ["slug", "acme"],
      ["locations", "loc1"],
      ["x-new-thing", "1"],
      ["organizationId", ORG],
    ];
    expect(verifySignedQuery(query(params), [SECRET], AT)).toMatchObject({ ok: true, params });
  });

  it('locations joined with ", " verifies on the raw value and maps to the same stored key as ","', () => {
    const params: QueryParam[] = [
      ["slug", "acme"],
      ["locations", "loc2, loc1"],
      ["organizationId", ORG],
    ];
    const result = verifySignedQuery(query(params), [SECRET], AT);
    expect(result).toMatchObject({ ok: true, variant: "as-received" });
    expect(locationsKeyOf(paramValue(result.ok ? result.params : [], "locations")!)).toBe(
      locationsKeyOf("loc1,loc2"),
    );
  });

  it('locations signed with ", " but sent with "," (or the reverse) → FAILS: the value is signed as sent', () => {
    const signed: QueryParam[] = [
      ["slug", "acme"],
      ["locations", "loc1, loc2"],
    ];
    const received: QueryParam[] = [
      ["slug", "acme"],
      ["locations", "loc1,loc2"],
    ];
    expect(verifySignedQuery(query(received, signed), [SECRET], AT)).toEqual({
      ok: false,
      reason: "mismatch",
    });
  });

  it("the same parameters reordered after signing → FAILS (JSON.stringify keeps received order)", () => {
    const signed: QueryParam[] = [
      ["slug", "acme"],
      ["locations", "loc1"],
      ["organizationId", ORG],
      ["memberId", MEMBER],
    ];
    const reordered: QueryParam[] = [signed[1]!, signed[0]!, signed[3]!, signed[2]!];
    expect(verifySignedQuery(query(reordered, signed), [SECRET], AT)).toEqual({
      ok: false,
      reason: "mismatch",
    });
  });

  it("organizationId in literal quotes verifies on the quoted value; the quotes are stripped only afterwards", () => {
    const params: QueryParam[] = [
      ["slug", "acme"],
      ["locations", ""],
      ["organizationId", `"${ORG}"`],
    ];
    const result = verifySignedQuery(buildSignedQuery(params, SECRET, T), [SECRET], AT);
    expect(result).toMatchObject({ ok: true, variant: "as-received" });
    expect(unquoteOrganizationId(paramValue(result.ok ? result.params : [], "organizationId"))).toBe(ORG);
    // Signed unquoted but sent quoted (or the reverse) is a different message.
    expect(
      verifySignedQuery(query(params, [params[0]!, params[1]!, ["organizationId", ORG]]), [SECRET], AT),
    ).toEqual({ ok: false, reason: "mismatch" });
  });

  it("a non-empty parameter left out of the signature → FAILS (only empty values may be unsigned)", () => {
    const signed: QueryParam[] = [
      ["slug", "acme"],
      ["locations", "loc1"],
    ];
    expect(verifySignedQuery(query([...signed, ["memberId", MEMBER]], signed), [SECRET], AT)).toEqual({
      ok: false,
      reason: "mismatch",
    });
  });
});
