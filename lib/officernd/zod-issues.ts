import type { z } from "zod";

/** zod issues as "results.3.location: expected string, received number": the path of each offending field. */
export function describeIssues(error: z.ZodError): string {
  return error.issues
    .slice(0, 3)
    .map((issue) => `${issue.path.length > 0 ? issue.path.join(".") : "(root)"}: ${issue.message}`)
    .join("; ")
    .slice(0, 300);
}
