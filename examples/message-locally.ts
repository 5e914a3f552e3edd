// Two accounts message each other on the embedded server: send, receive, a read receipt back.
import { type Client, createClient, MemoryStore } from '@wakit/client';
import { startServer, type VirtualPhone } from '@wakit/server';

const server = await startServer();

/** A client linked to a new account (its virtual phone scans the QR code) and logged in. */
async function linked(phoneNumber: string): Promise<{ client: Client; phone: VirtualPhone }> {
  const phone = await server.phones.create(phoneNumber);
  const client = createClient({
    store: new MemoryStore(),
    url: server.url,
    rootPublicKey: server.rootPublicKey,
  });
  client.on('error', ({ error, context }) => console.error(`error in ${context}:`, error));
  client.on('qr', ({ qr }) => void phone.scanQr(qr).catch((error) => console.error(error)));
  await client.connect();
  await client.waitForConnected(30_000);
  return { client, phone };
}

const alice = await linked('15550001234');
const bob = await linked('15550001235');

const read = new Promise<void>((resolve) => {
  alice.client.on('receipt', ({ type }) => type === 'read' && resolve());
});
bob.client.on('message', ({ message, info }) => {
  console.log(`bob got "${message.conversation}" from ${info.pushName}`);
  bob.client.markRead(info.chat, [info.id]).catch((error) => console.error(error));
});

const id = await alice.client.sendMessage(bob.phone.jid, { conversation: 'hello, Bob' }); // PN or LID
console.log(`alice sent ${id}`);
await read;
console.log('alice saw it read');

await alice.client.disconnect();
await bob.client.disconnect();
await server.close();
