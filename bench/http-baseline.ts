// The benchmark's baseline: a bare node:http server doing the same essential work as the app's routes
// (parse the query or body, look the installation up in Postgres, decrypt its secret, verify the
// signature, make the route's write, answer JSON), with none of the framework around it.
import { createServer, type Server } from "node:http";
import pg from "pg";
import { decryptWith } from "../lib/crypto/encryption.ts";
import type { Keyring } from "../lib/crypto/keyring.ts";
import { verifySignedQuery, verifyWebhook } from "../lib/officernd/signature.ts";

export async function startBaseline(
  databaseUrl: string,
  keyring: Keyring,
): Promise<{ url: string; close: () => Promise<void> }> {
  const pool = new pg.Pool({ connectionString: databaseUrl, max: 10 });

  async function signedGet(route: string, query: string): Promise<[number, unknown]> {
    const slug = new URLSearchParams(query).get("slug") ?? "";
    const { rows } = await pool.query<{ id: string; secretEnc: string; name: string }>(
      `SELECT i.id, i."secretEnc", a.name FROM "Installation" i JOIN "Account" a ON a.id = i."accountId" WHERE i."orgSlug" = $1 AND i.status = 'active'`,
      [slug],
    );
    const secrets = rows.map((row) => decryptWith(keyring, row.secretEnc, `installation:${row.id}:secret`));
    const result = verifySignedQuery(query, secrets);
    if (!result.ok) return [401, { error: "invalid_signature", message: "bad signature" }];
    const match = rows[result.secretIndex]!;
    if (route === "/api/officernd/healthcheck") {
      // The signature ledger: a healthcheck records its signature (a repeat still answers).
      await pool.query(
        `INSERT INTO "UsedSignature" (hash, "expiresAt", route) VALUES ($1, now() + interval '10 minutes', 'healthcheck') ON CONFLICT DO NOTHING`,
        [result.signature],
      );
    }
    if (route === "/api/officernd/sync") {
      // The same state change the app makes: claim the signature once, then set the flag.
      await pool.query(
        `INSERT INTO "UsedSignature" (hash, "expiresAt") VALUES ($1, now() + interval '10 minutes') ON CONFLICT DO NOTHING`,
        [result.signature],
      );
      await pool.query(`UPDATE "Installation" SET "syncEnabled" = $2, "updatedAt" = now() WHERE id = $1`, [
        match.id,
        new URLSearchParams(query).get("enabled") === "true",
      ]);
    }
    return [200, { accountName: match.name }];
  }

  async function webhook(installationId: string, body: Buffer, header: string): Promise<[number, unknown]> {
    const { rows } = await pool.query<{ id: string; secretEnc: string }>(
      `SELECT id, "secretEnc" FROM "WebhookSubscription" WHERE "installationId" = $1`,
      [installationId],
    );
    const secrets = rows.map((row) => decryptWith(keyring, row.secretEnc, `webhook:${row.id}:secret`));
    if (!verifyWebhook(body, header, secrets).ok)
      return [401, { error: "invalid_signature", message: "bad signature" }];
    await pool.query(
      `INSERT INTO "WebhookEvent" (id, "installationId", "dedupeKey", "eventType", payload, "signedAt") VALUES (gen_random_uuid(), $1, $2, 'bench', '{}', now()) ON CONFLICT DO NOTHING`,
      [installationId, `baseline:${header}`],
    );
    return [200, { status: "received" }];
  }

  const server: Server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on("data", (chunk: Buffer) => chunks.push(chunk));
    request.on("end", () => {
      const url = new URL(request.url ?? "/", "http://baseline");
      if (url.pathname === "/api/health") {
        response.writeHead(200, { "content-type": "application/json" });
        return response.end(JSON.stringify({ status: "ok", uptimeSeconds: Math.round(process.uptime()) }));
      }
      const work = url.pathname.startsWith("/api/webhooks/officernd/")
        ? webhook(
            url.pathname.split("/").pop() ?? "",
            Buffer.concat(chunks),
            String(request.headers["officernd-signature"] ?? ""),
          )
        : signedGet(url.pathname, url.search.slice(1));
      work
        .then(([status, body]) => {
          response.writeHead(status, { "content-type": "application/json" });
          response.end(JSON.stringify(body));
        })
        .catch(() => {
          response.writeHead(500);
          response.end();
        });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const address = server.address();
  const port = typeof address === "object" && address ? address.port : 0;
  return {
    url: `http://127.0.0.1:${port}`,
    close: async () => {
      await new Promise((resolve) => server.close(resolve));
      await pool.end();
    },
  };
}
