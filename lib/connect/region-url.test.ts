import { describe, expect, it } from "vitest";
import { checkRegionUrl } from "./region-url";

const production = { officerndAppUrl: "https://app.officernd.com", regionHosts: ["*.officernd.com"] };
const emulator = { officerndAppUrl: "http://localhost:4010", regionHosts: ["*.officernd.com"] };

describe("checkRegionUrl", () => {
  it.each([
    ["https://eu.officernd.com", production, "https://eu.officernd.com"],
    ["https://app.officernd.com/", production, "https://app.officernd.com"],
    // The emulator's region profile: the same host on a second port, over http.
    ["http://localhost:4020", emulator, "http://localhost:4020"],
  ])("trusts %s", (regionUrl, config, expected) => {
    expect(checkRegionUrl(regionUrl, config)).toEqual({ ok: true, regionUrl: expected });
  });

  it.each([
    ["http://eu.officernd.com", production],
    ["https://officernd.com.evil.example", production],
    ["https://evilofficernd.com", production],
    ["https://attacker.example", production],
    ["https://localhost:4010", production],
    ["https://user:pw@eu.officernd.com", production],
    ["https://eu.officernd.com/?x=1", production],
    ["javascript:alert(1)", production],
    ["not a url", production],
    ["http://127.0.0.1:4010", emulator],
    ["http://attacker.example", emulator],
  ])("refuses %s", (regionUrl, config) => {
    expect(checkRegionUrl(regionUrl, config)).toMatchObject({ ok: false });
  });
});
