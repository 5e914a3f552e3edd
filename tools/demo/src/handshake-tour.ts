/**
 * Tour step: a WhatsApp Noise handshake between a client and a test server in memory, then one
 * encrypted stanza each way. The server's certificate chain is issued under a throwaway root that
 * the client is told to trust; with the default (WhatsApp's real root) the client refuses it.
 */
import { decodeNode, encodeNode, toXml } from '@wakit/binary-node';
import { nodeCrypto as crypto } from '@wakit/crypto/node';
import {
  CertificateChainError,
  ClientHandshake,
  FrameDecoder,
  ServerFrameDecoder,
  ServerHandshake,
} from '@wakit/noise';
import { issueCertChain } from '@wakit/noise/testing';
import { ClientPayloadSchema, create, fromBinary, toBinary } from '@wakit/proto';

export async function handshakeTour(): Promise<string[]> {
  const serverKey = await crypto.generateKeyPair();
  const issued = await issueCertChain({ crypto, leafKey: serverKey.publicKey });
  const payload = toBinary(
    ClientPayloadSchema,
    create(ClientPayloadSchema, { username: 15550001234n, device: 1, passive: true }),
  );

  const connect = async (rootPublicKey?: Uint8Array) => {
    const client = new ClientHandshake({
      crypto,
      noiseKey: await crypto.generateKeyPair(),
      payload,
      ...(rootPublicKey ? { rootPublicKey } : {}),
    });
    const server = new ServerHandshake({ crypto, staticKeyPair: serverKey, certChain: issued.bytes });
    const [hello] = new ServerFrameDecoder().push(await client.start());
    const [serverHello] = new FrameDecoder().push((await server.receive(hello!))!);
    const [finish] = new FrameDecoder().push((await client.receive(serverHello!))!);
    await server.receive(finish!);
    return { client, server };
  };

  const { client, server } = await connect(issued.rootPublicKey);
  const sent = { tag: 'iq', attrs: { id: '1', type: 'get', xmlns: 'w:p', to: '@s.whatsapp.net' } };
  const [frame] = new FrameDecoder().push(await client.result.transport.encryptFrame(encodeNode(sent)));
  const received = decodeNode(await server.result.transport.decrypt(frame!));
  const reply = { tag: 'iq', attrs: { id: '1', type: 'result', from: '@s.whatsapp.net' } };
  const [back] = new FrameDecoder().push(await server.result.transport.encryptFrame(encodeNode(reply)));
  const answered = decodeNode(await client.result.transport.decrypt(back!));
  const login = fromBinary(ClientPayloadSchema, server.result.payload);

  let refused = 'accepted (wrong!)';
  try {
    await connect();
  } catch (error) {
    if (error instanceof CertificateChainError) refused = `refused: ${error.reason}`;
    else throw error;
  }

  return [
    `4. A WhatsApp Noise ${client.result.pattern} handshake with an in-memory test server (@wakit/noise, node:crypto):`,
    `   server certificate chain verified under the test root; the client logged in as ${login.username}:${login.device}`,
    `   client -> server, encrypted: ${toXml(received)}`,
    `   server -> client, encrypted: ${toXml(answered)}`,
    `   the same server against WhatsApp's real root: ${refused}`,
  ];
}
