import "server-only";
import { z } from "zod";
import { AppError, isDatabaseUnavailable, type ErrorCode } from "@/lib/errors";
import { errorSummary, log } from "@/lib/log";

// The one helper behind every server action: authorise, validate the form with zod, run, and answer a
// serialisable result that forms read with useActionState. Nothing the user typed is echoed back.

export type FieldErrors = Record<string, string[]>;
export type ActionResult<T> =
  { ok: true; data: T } | { ok: false; error: string; code: ErrorCode; fieldErrors: FieldErrors };
/** What useActionState starts with, before the first submission. */
export type ActionState<T> = ActionResult<T> | null;

type Options<S extends z.ZodType, Ctx, T> = {
  schema: S;
  /** Runs first: a caller without access learns nothing about validation and changes nothing. */
  authorize: () => Promise<Ctx>;
  handler: (input: z.output<S>, context: Ctx) => Promise<T>;
};

export async function runValidatedAction<S extends z.ZodType, Ctx, T>(
  options: Options<S, Ctx, T>,
  formData: FormData,
): Promise<ActionResult<T>> {
  try {
    const context = await options.authorize();
    const parsed = options.schema.safeParse(formDataToObject(formData));
    if (!parsed.success)
      return {
        ok: false,
        code: "bad_request",
        error: "Please correct the highlighted fields.",
        fieldErrors: toFieldErrors(parsed.error),
      };
    return { ok: true, data: await options.handler(parsed.data, context) };
  } catch (error) {
    return failure(error);
  }
}

/** FormData as a plain object: repeated names become arrays, React's `$ACTION_*` bookkeeping is dropped. */
export function formDataToObject(formData: FormData): Record<string, string | string[]> {
  const result: Record<string, string | string[]> = {};
  for (const [name, value] of formData.entries()) {
    if (name.startsWith("$ACTION") || typeof value !== "string") continue;
    const existing = result[name];
    result[name] =
      existing === undefined ? value : Array.isArray(existing) ? [...existing, value] : [existing, value];
  }
  return result;
}

/** Issues by field path ("member.name"); form-level issues under "_form". */
export function toFieldErrors(error: z.ZodError): FieldErrors {
  const fieldErrors: FieldErrors = {};
  for (const issue of error.issues) {
    const key = issue.path.length > 0 ? issue.path.map(String).join(".") : "_form";
    (fieldErrors[key] ??= []).push(issue.message);
  }
  return fieldErrors;
}

function failure(error: unknown): { ok: false; error: string; code: ErrorCode; fieldErrors: FieldErrors } {
  if (error instanceof AppError)
    return { ok: false, code: error.code, error: error.message, fieldErrors: {} };
  if (isDatabaseUnavailable(error))
    return {
      ok: false,
      code: "unavailable",
      error: "The service is temporarily unavailable. Please try again in a minute.",
      fieldErrors: {},
    };
  log.error({ err: errorSummary(error, { withName: true }) }, "server action failed");
  return {
    ok: false,
    code: "internal",
    error: "Something went wrong on our side. It has been logged.",
    fieldErrors: {},
  };
}
