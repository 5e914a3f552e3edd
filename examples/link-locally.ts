// Link a client to the embedded server through a virtual phone: runs on any machine, offline.
import { createClient, MemoryStore } from '@wakit/client';
import { renderQr } from '@wakit/client/qr';
import { startServer } from '@wakit/server';

const server = await startServer(); // loopback, a free port, its own test certificate root
const phone = await server.phones.create('15550001234'); // a virtual primary device

const client = createClient({
  store: new MemoryStore(), // or openSqliteStore('device.db') from '@wakit/client/sqlite'
  url: server.url,
  rootPublicKey: server.rootPublicKey, // trust the test root instead of WhatsApp's
});
client.on('error', ({ error, context }) => console.error(`error in ${context}:`, error));
client.on('qr', ({ qr }) => {
  console.log(renderQr(qr)); // what a person scans; here the virtual phone does it
  phone.scanQr(qr).catch((error) => console.error('the phone could not scan:', error));
});
client.on('paired', ({ account }) => console.log(`linked as ${account.jid}`));

await client.connect();
await client.waitForConnected(30_000); // pairing, the server's 515 restart, login
console.log('logged in');
await client.disconnect();
await server.close();
