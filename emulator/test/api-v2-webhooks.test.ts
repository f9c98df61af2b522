import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { ACME, GLOBEX, startHarness, type Harness } from "./support/harness";

// API v2 webhooks (spec §3f): create answers one object with its secret, list pages, get, delete.

let emulator: Harness;
let token: string;
beforeAll(async () => {
  emulator = await startHarness();
});
afterAll(() => emulator.close());
beforeEach(async () => {
  await emulator.control("/reset", {});
  token = await emulator.token();
});

const WEBHOOKS = `/api/v2/organizations/${ACME}/webhooks`;

function create(body: unknown) {
  return emulator.api(WEBHOOKS, token, { method: "POST", body: JSON.stringify(body) });
}

describe("v2 webhooks", () => {
  it("creates a subscription and answers {_id,url,description,eventTypes,secret,isEnabled}", async () => {
    const response = await create({
      url: "https://partner.test/hook",
      eventTypes: ["member.created", "member.updated"],
      description: "sync",
    });
    expect(response.status).toBe(201);
    expect(response.body).toEqual({
      _id: expect.stringMatching(/^[0-9a-f]{24}$/),
      url: "https://partner.test/hook",
      description: "sync",
      eventTypes: ["member.created", "member.updated"],
      secret: expect.any(String),
      isEnabled: true,
    });
    expect((await emulator.api(`${WEBHOOKS}/${response.body._id}`, token)).body).toEqual(response.body);
    const listed = await emulator.control(`/webhooks?org=${ACME}`);
    expect(listed[0]).toMatchObject({ _id: response.body._id, secret: response.body.secret, orgSlug: ACME });
  });

  it("validates the body like a NestJS ValidationPipe", async () => {
    const response = await create({ url: "not a url", eventTypes: ["member.exploded"], isEnabled: "yes" });
    expect(response.status).toBe(400);
    expect(response.body).toEqual({
      statusCode: 400,
      message: [
        "url must be a URL address",
        "eventTypes.0 must be a valid event type",
        "isEnabled must be a boolean value",
      ],
      error: "Bad Request",
    });
  });

  it("lists with pagination and deletes, answering the deleted object", async () => {
    const ids: string[] = [];
    for (let index = 0; index < 3; index += 1)
      ids.push(
        (await create({ url: `https://partner.test/${index}`, eventTypes: ["company.created"] })).body._id,
      );
    const page = (await emulator.api(`${WEBHOOKS}?$limit=2`, token)).body;
    expect(page.results.map((webhook: { _id: string }) => webhook._id)).toEqual(ids.slice(0, 2));
    const last = (await emulator.api(`${WEBHOOKS}?$limit=2&$cursorNext=${page.cursorNext}`, token)).body;
    expect(last.results.map((webhook: { _id: string }) => webhook._id)).toEqual(ids.slice(2));
    expect(last.cursorNext).toBeNull();
    const deleted = await emulator.api(`${WEBHOOKS}/${ids[1]}`, token, { method: "DELETE" });
    expect(deleted.body).toMatchObject({ _id: ids[1], url: "https://partner.test/1" });
    expect((await emulator.api(`${WEBHOOKS}/${ids[1]}`, token)).status).toBe(404);
    expect((await emulator.api(`${WEBHOOKS}/${ids[1]}`, token, { method: "DELETE" })).status).toBe(404);
  });

  it("keeps each organisation's subscriptions apart", async () => {
    const created = (await create({ url: "https://partner.test/a", eventTypes: ["member.created"] })).body;
    const globexToken = await emulator.token(undefined, GLOBEX);
    expect(
      (await emulator.api(`/api/v2/organizations/${GLOBEX}/webhooks/${created._id}`, globexToken)).status,
    ).toBe(404);
    expect(
      (await emulator.api(`/api/v2/organizations/${GLOBEX}/webhooks`, globexToken)).body.results,
    ).toEqual([]);
  });
});
