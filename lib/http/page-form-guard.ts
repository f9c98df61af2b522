import "server-only";
import { errorResponse } from "@/lib/errors";

// Next treats a form POST to a page as a server action and parses its body before any code of ours
// runs; a malformed multipart or urlencoded body then ends in Next's own 500 (found by the fuzz,
// e2e/api/fuzz.spec.ts). The proxy reads a copy of such a body first and answers a clear 400 instead.
const FORM_TYPES = /^\s*(multipart\/form-data|application\/x-www-form-urlencoded)\b/i;

/** A 400 `invalid_body` for a form POST whose body cannot be parsed as form data; undefined otherwise. */
export async function refuseUnreadableForm(request: Request): Promise<Response | undefined> {
  if (request.method !== "POST" || !FORM_TYPES.test(request.headers.get("content-type") ?? ""))
    return undefined;
  try {
    await request.clone().formData();
    return undefined;
  } catch {
    return errorResponse("invalid_body", "The form could not be read. Reload the page and submit it again.");
  }
}
