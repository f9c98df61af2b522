import { describe, expect, it } from "vitest";
import { errorSummary } from "@/lib/log";

describe("errorSummary", () => {
  it("is the message of an Error, without its stack or cause", () => {
    expect(errorSummary(new Error("boom", { cause: new Error("hidden") }))).toBe("boom");
  });
  it("names the class when asked, for unexpected failures", () => {
    expect(errorSummary(new TypeError("x is undefined"), { withName: true })).toBe(
      "TypeError: x is undefined",
    );
  });
  it("turns anything else thrown into a string", () => {
    expect(errorSummary("plain")).toBe("plain");
    expect(errorSummary(42, { withName: true })).toBe("42");
  });
});
