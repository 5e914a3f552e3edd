/**
 * A separate process for connect.test.ts: opens the SQLite store at argv[2], connects to the server
 * (url argv[3], root key hex argv[4]), waits for login, prints `{"jid", "sawQr"}` and exits.
 */
import { createClient } from '@wakit/client';
import { openSqliteStore } from '@wakit/client/sqlite';

const [databasePath, url, rootHex] = process.argv.slice(2);
if (databasePath === undefined || url === undefined || rootHex === undefined) {
  throw new Error('usage: _login-once.ts <database> <url> <root-key-hex>');
}
const store = openSqliteStore(databasePath);
const client = createClient({ store, url, rootPublicKey: new Uint8Array(Buffer.from(rootHex, 'hex')) });
let sawQr = false;
client.on('qr', () => {
  sawQr = true;
});
await client.connect();
// The harness's 30 s deadline (DEADLINE_MS): a backstop for a broken login, generous enough for a
// child process on a loaded machine.
await client.waitForConnected(30_000);
const jid = (await store.loadCredentials())?.account?.jid;
await client.disconnect();
await store.close();
console.log(JSON.stringify({ jid, sawQr }));
