// npm run keys:rotate – re-encrypts every stored token and secret under the newest ENCRYPTION_KEY.
// Rotation: put the new key first (`new:<key>,old:<key>`), deploy, run this, then drop the old key.
import { parseKeyring } from "@/lib/crypto/keyring";
import { reEncryptAll } from "@/lib/crypto/rotate-keys";
import { env } from "@/lib/env";

const keyring = parseKeyring(env().ENCRYPTION_KEY);
const report = await reEncryptAll(env().DATABASE_URL, keyring);
for (const row of report)
  console.log(
    `${row.table}.${row.column}: ${row.reEncrypted} re-encrypted, ${row.alreadyCurrent} already under "${keyring.currentId}"`,
  );
