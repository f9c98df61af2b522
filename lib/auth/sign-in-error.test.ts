import { describe, expect, it } from "vitest";
import { signInErrorMessage } from "./sign-in-error";

describe("sign-in error messages", () => {
  it.each([
    ["CredentialsSignin", "Wrong email or password. Please try again."],
    [null, "Wrong email or password. Please try again."],
    [
      "throttled:30",
      "Too many failed sign-ins for this email from your network. Please wait 30 seconds and try again.",
    ],
    [
      "throttled:61",
      "Too many failed sign-ins for this email from your network. Please wait 2 minutes and try again.",
    ],
    [
      "throttled:900",
      "Too many failed sign-ins for this email from your network. Please wait 15 minutes and try again.",
    ],
  ])("%s → %s", (error, message) => {
    expect(signInErrorMessage(error)).toBe(message);
  });
});
