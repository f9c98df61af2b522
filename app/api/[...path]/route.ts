// Any /api/ path no route claims: a JSON 404 through the pipeline. Without it Next answers such a path
// with its not-found page, and a form POST there (proxy.ts does not see /api/) reached Next's
// server-action parser, which answered an unreadable multipart body with 500 (found by the fuzz).
import { errorResponse } from "@/lib/errors";
import { withErrors } from "@/lib/http/respond";

export const dynamic = "force-dynamic";

const notFound = withErrors("api-not-found", async () => errorResponse("not_found", "No such API route."));

export const GET = notFound;
export const HEAD = notFound;
export const POST = notFound;
export const PUT = notFound;
export const PATCH = notFound;
export const DELETE = notFound;
export const OPTIONS = notFound;
