import { describe, expect, it } from "vitest";
import { isDatabaseUnavailable, toErrorResponse } from "./errors";

// The messages are the ones pg, Postgres and Prisma's pg adapter produced in the faults spec while the
// server was stopping, stopped and starting; each must become a 503, never a 500.
describe("isDatabaseUnavailable", () => {
  it.each([
    ["pg, pooled connection cut", new Error("Connection terminated unexpectedly")],
    [
      "Prisma's adapter, pooled connection cut",
      Object.assign(
        new Error("Raw query failed. Code: `N/A`. Message: `Server has closed the connection.`"),
        { code: "N/A" },
      ),
    ],
    ["Postgres stopping", new Error("the database system is shutting down")],
    ["Postgres starting", new Error("the database system is starting up")],
    ["Postgres recovering", new Error("the database system is in recovery mode")],
    [
      "refused, by code",
      Object.assign(new Error("connect ECONNREFUSED 127.0.0.1:5432"), { code: "ECONNREFUSED" }),
    ],
    ["admin shutdown, by SQLSTATE", Object.assign(new Error("terminating connection"), { code: "57P01" })],
    [
      "wrapped in a cause",
      new Error("query failed", { cause: new Error("Connection terminated unexpectedly") }),
    ],
  ])("%s", (_name, error) => {
    expect(isDatabaseUnavailable(error)).toBe(true);
    expect(toErrorResponse(error).status).toBe(503);
  });

  it.each([
    [
      "a unique violation",
      Object.assign(new Error("duplicate key value violates unique constraint"), { code: "23505" }),
    ],
    ["a programming error", new TypeError("cannot read properties of undefined")],
    ["nothing", undefined],
  ])("%s is not", (_name, error) => {
    expect(isDatabaseUnavailable(error)).toBe(false);
    expect(toErrorResponse(error).status).toBe(500);
  });
});
