import { describe, expect, it, vi } from "vitest";
import { z } from "zod";
import { AppError } from "@/lib/errors";
import { formDataToObject, runValidatedAction } from "./validated-action";

const form = (entries: [string, string][]) => {
  const data = new FormData();
  for (const [name, value] of entries) data.append(name, value);
  return data;
};

describe("formDataToObject", () => {
  it("keeps single values, gathers repeated names into arrays and drops React's $ACTION fields", () => {
    expect(
      formDataToObject(
        form([
          ["a", "1"],
          ["b", "x"],
          ["b", "y"],
          ["$ACTION_ID_abc", ""],
        ]),
      ),
    ).toEqual({ a: "1", b: ["x", "y"] });
  });
});

describe("runValidatedAction", () => {
  const schema = z.object({ name: z.string().min(2, "Too short.") });

  it("authorises before validating: a refused caller gets no field errors and the handler never runs", async () => {
    const handler = vi.fn();
    const result = await runValidatedAction(
      {
        schema,
        authorize: () => Promise.reject(new AppError("forbidden", "No.")),
        handler,
      },
      form([["name", ""]]),
    );
    expect(result).toEqual({ ok: false, code: "forbidden", error: "No.", fieldErrors: {} });
    expect(handler).not.toHaveBeenCalled();
  });

  it("answers field errors for invalid input without running the handler", async () => {
    const handler = vi.fn();
    const result = await runValidatedAction(
      { schema, authorize: async () => ({}), handler },
      form([["name", "x"]]),
    );
    expect(result).toMatchObject({ ok: false, code: "bad_request", fieldErrors: { name: ["Too short."] } });
    expect(handler).not.toHaveBeenCalled();
  });

  it("passes parsed input and the authorised context to the handler", async () => {
    const result = await runValidatedAction(
      {
        schema,
        authorize: async () => ({ actor: "user:1" }),
        handler: async (input, context) => `${context.actor}:${input.name}`,
      },
      form([["name", "Ada"]]),
    );
    expect(result).toEqual({ ok: true, data: "user:1:Ada" });
  });

  it("turns an unexpected error into a generic message that leaks nothing", async () => {
    const result = await runValidatedAction(
      {
        schema,
        authorize: async () => ({}),
        handler: () => Promise.reject(new Error("connection string postgres://secret")),
      },
      form([["name", "Ada"]]),
    );
    expect(result).toMatchObject({ ok: false, code: "internal" });
    expect(JSON.stringify(result)).not.toContain("secret");
  });
});
