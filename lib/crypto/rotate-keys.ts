import "server-only";
import pg from "pg";
import { decryptWith, encryptWith, keyIdOf } from "@/lib/crypto/encryption";
import type { Keyring } from "@/lib/crypto/keyring";

/** Every encrypted column, with the context (AAD) it was encrypted under. Keep in step with writers. */
export const ENCRYPTED_COLUMNS = [
  { table: "Installation", column: "secretEnc", context: (id: string) => `installation:${id}:secret` },
  { table: "Installation", column: "accessTokenEnc", context: (id: string) => `installation:${id}:access` },
  { table: "Installation", column: "refreshTokenEnc", context: (id: string) => `installation:${id}:refresh` },
  { table: "WebhookSubscription", column: "secretEnc", context: (id: string) => `webhook:${id}:secret` },
  {
    table: "PendingConnection",
    column: "credentialsEnc",
    context: (id: string) => `pending:${id}:credentials`,
  },
] as const;

export type RotationReport = { table: string; column: string; reEncrypted: number; alreadyCurrent: number }[];

/**
 * Re-encrypts every stored secret whose key id is not the keyring's current one. Each row is updated
 * only if it still holds the ciphertext that was read, so a concurrent writer is never overwritten.
 */
export async function reEncryptAll(databaseUrl: string, keyring: Keyring): Promise<RotationReport> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  const report: RotationReport = [];
  try {
    for (const { table, column, context } of ENCRYPTED_COLUMNS) {
      const quotedTable = pg.escapeIdentifier(table);
      const quotedColumn = pg.escapeIdentifier(column);
      const { rows } = await client.query<{ id: string; value: string }>(
        `SELECT id, ${quotedColumn} AS value FROM ${quotedTable} WHERE ${quotedColumn} IS NOT NULL`,
      );
      let reEncrypted = 0;
      for (const row of rows) {
        if (keyIdOf(row.value) === keyring.currentId) continue;
        const fresh = encryptWith(keyring, decryptWith(keyring, row.value, context(row.id)), context(row.id));
        const result = await client.query(
          `UPDATE ${quotedTable} SET ${quotedColumn} = $1 WHERE id = $2 AND ${quotedColumn} = $3`,
          [fresh, row.id, row.value],
        );
        reEncrypted += result.rowCount ?? 0;
      }
      report.push({ table, column, reEncrypted, alreadyCurrent: rows.length - reEncrypted });
    }
  } finally {
    await client.end();
  }
  return report;
}
