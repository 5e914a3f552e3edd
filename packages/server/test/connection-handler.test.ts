/** The per-connection protocol logic without sockets: nodes in, nodes out. */
import type { BinaryNode } from '@wakit/binary-node';
import { nodeCrypto as crypto } from '@wakit/crypto/node';
import { beforeEach, describe, expect, it } from 'vitest';
import { fromUtf8, uintToBytes } from '../src/_bytes';
import { ConnectionHandler } from '../src/connection-handler';
import { transition } from '../src/connection-state';
import { child, children, contentBytes } from '../src/nodes';
import { Phones } from '../src/phones';
import { ServerState } from '../src/server-state';
import {
  type Companion,
  checkPairSuccess,
  loginPayload,
  makeCompanion,
  qrString,
  registrationPayload,
  type SignOptions,
} from './companion';
import { isPairSuccess } from './helpers';
import { DEADLINE_MS, until } from './until';

let state: ServerState;
let phones: Phones;
let nextId = 0;

beforeEach(() => {
  state = new ServerState({ crypto, pairReplyTimeoutMs: DEADLINE_MS, lowPreKeyThreshold: 5, now: Date.now });
  phones = new Phones(state);
});

function connect() {
  const sent: BinaryNode[] = [];
  const output = { sent, closed: undefined as string | undefined };
  const handler = new ConnectionHandler(
    state,
    { send: (node) => sent.push(node), close: (reason) => (output.closed = reason) },
    ++nextId,
  );
  return { handler, output, sent };
}

async function registered(companion: Companion) {
  const connection = connect();
  await connection.handler.start(companion.noiseKey.publicKey, registrationPayload(companion));
  const refs = children(child(connection.sent[0], 'pair-device'), 'ref').map((r) =>
    fromUtf8(contentBytes(r)!),
  );
  return { ...connection, refs };
}

/** Scans the companion's QR and answers pair-success as the companion would (with `options`). */
async function scanAndSign(companion: Companion, options: SignOptions = {}) {
  const phone = phones.get('15550001234') ?? (await phones.create('15550001234'));
  const connection = await registered(companion);
  const scanned = phone.scanQr(qrString(companion, connection.refs[0]!));
  await until(() => connection.sent.some(isPairSuccess), 'pair-success was sent');
  const checked = await checkPairSuccess(companion, connection.sent.find(isPairSuccess)!, options);
  await connection.handler.receive(checked.reply);
  // The verification finishes after the reply was delivered; let it settle either way.
  await Promise.allSettled([scanned]);
  return { ...connection, scanned, checked, phone };
}

describe('registration and QR pairing', () => {
  it('sends <pair-device> with six refs from the server and holds them for the phone', async () => {
    const { sent, refs, handler } = await registered(await makeCompanion());
    expect(sent).toHaveLength(1);
    expect(sent[0]!.attrs).toMatchObject({ from: '@s.whatsapp.net', type: 'set', xmlns: 'md' });
    expect(refs).toHaveLength(6);
    expect(refs.every((ref) => state.refs.get(ref) === handler)).toBe(true);
    expect(handler.state).toBe('unpaired');
  });

  it('closes an unpaired companion when the pairing window ends, and forgets its refs', async () => {
    state = new ServerState({
      crypto,
      pairReplyTimeoutMs: DEADLINE_MS,
      lowPreKeyThreshold: 5,
      now: Date.now,
      pairingWindowMs: 30,
    });
    const { output, refs, handler } = await registered(await makeCompanion());
    expect(handler.state).toBe('unpaired');
    await until(() => output.closed !== undefined, 'the unpaired connection was closed');
    expect(output.closed).toBe('pairing window over');
    expect(handler.state).toBe('closed');
    expect(refs.some((ref) => state.refs.has(ref))).toBe(false);
  });

  it('accepts a correct pair-device-sign: registers the device, sends 515 and closes', async () => {
    const companion = await makeCompanion();
    const { scanned, checked, sent, output, handler } = await scanAndSign(companion);
    expect(await scanned).toBe('15550001234:1@s.whatsapp.net');
    expect(sent.at(-1)).toEqual({ tag: 'stream:error', attrs: { code: '515' } });
    expect(output.closed).toBe('paired');
    expect(handler.state).toBe('closed');
    const record = state.devices.get(checked.jid)!;
    expect(record.noiseKey).toEqual(companion.noiseKey.publicKey);
    expect(record.keys.identity).toEqual(companion.identity.publicKey);
    expect(record.keys.registrationId).toBe(companion.registrationId);
    expect(record.keys.signedPreKey.publicKey).toEqual(companion.signedPreKey.keyPair.publicKey);
    expect(state.refs.size).toBe(0);
  });

  it('accepts the answer with accountSignatureKey kept, as whatsapp-rust sends it', async () => {
    const { scanned } = await scanAndSign(await makeCompanion(), { keepAccountKey: true });
    expect(await scanned).toMatch(/:1@s\.whatsapp\.net$/);
  });

  it.each([
    ['a tampered device signature', { tamperSignature: true }, 'device-signature'],
    ['changed details', { tamperDetails: true }, 'details-changed'],
  ] as const)('rejects %s, replies an error and registers nothing', async (_name, options, reason) => {
    const { scanned, checked, sent, handler } = await scanAndSign(await makeCompanion(), options);
    await expect(scanned).rejects.toMatchObject({ code: 'ERR_SERVER_PAIRING', reason });
    expect(sent.at(-1)?.attrs.type).toBe('error');
    expect(child(sent.at(-1), 'error')?.attrs.code).toBe('401');
    expect(state.devices.has(checked.jid)).toBe(false);
    expect(handler.state).toBe('unpaired');
  });

  it('rejects when the companion answers pair-success with an error', async () => {
    const phone = await phones.create('15550001234');
    const companion = await makeCompanion();
    const { handler, sent, refs } = await registered(companion);
    const scanned = phone.scanQr(qrString(companion, refs[0]!));
    await until(() => sent.some(isPairSuccess), 'pair-success was sent');
    const id = sent.find(isPairSuccess)!.attrs.id!;
    await handler.receive({
      tag: 'iq',
      attrs: { type: 'error', id },
      content: [{ tag: 'error', attrs: { code: '500' } }],
    });
    await expect(scanned).rejects.toMatchObject({ reason: 'rejected' });
  });

  it('gives up with a timeout when the companion never answers', async () => {
    state = new ServerState({ crypto, pairReplyTimeoutMs: 20, lowPreKeyThreshold: 5, now: Date.now });
    phones = new Phones(state);
    const phone = await phones.create('15550001234');
    const companion = await makeCompanion();
    const { refs } = await registered(companion);
    await expect(phone.scanQr(qrString(companion, refs[0]!))).rejects.toMatchObject({ reason: 'timeout' });
  });

  it('refuses a QR whose identity is not the one the companion registered', async () => {
    const phone = await phones.create('15550001234');
    const companion = await makeCompanion();
    const { refs } = await registered(companion);
    const other = { ...companion, identity: (await makeCompanion()).identity };
    await expect(phone.scanQr(qrString(other, refs[0]!))).rejects.toMatchObject({
      reason: 'identity-mismatch',
    });
  });

  it('rejects a pending pairing when the connection closes', async () => {
    const phone = await phones.create('15550001234');
    const companion = await makeCompanion();
    const { handler, sent, refs } = await registered(companion);
    const scanned = phone.scanQr(qrString(companion, refs[0]!));
    await until(() => sent.some(isPairSuccess), 'pair-success was sent');
    handler.closed('test');
    await expect(scanned).rejects.toMatchObject({ reason: 'closed' });
  });
});

describe('login', () => {
  it('accepts the paired device with its noise key and announces an empty offline queue', async () => {
    const companion = await makeCompanion();
    const { checked } = await scanAndSign(companion);
    const { handler, sent } = connect();
    await handler.start(companion.noiseKey.publicKey, loginPayload(checked.jid));
    expect(sent[0]!.tag).toBe('success');
    expect(sent[0]!.attrs.lid).toBe(checked.lid);
    expect(sent.map((n) => (n.content as BinaryNode[] | undefined)?.[0]?.tag)).toEqual([
      undefined,
      'offline_preview',
      'offline',
    ]);
    expect(handler.state).toBe('logged-in');
    expect(state.live.get(checked.jid)).toBe(handler);
  });

  it('tells a logged-in companion when another companion of the account links', async () => {
    const first = await makeCompanion();
    const { checked } = await scanAndSign(first);
    const { handler, sent } = connect();
    await handler.start(first.noiseKey.publicKey, loginPayload(checked.jid));
    const second = await scanAndSign(await makeCompanion());
    const isDevices = (n: BinaryNode) => n.tag === 'notification' && n.attrs.type === 'devices';
    await until(() => sent.some(isDevices), 'the first companion got a devices notification');
    const add = child(sent.find(isDevices), 'add');
    expect(child(add, 'device')?.attrs).toMatchObject({ jid: second.checked.jid, 'key-index': '2' });
    expect(child(add, 'key-index-list')?.attrs.ts).toMatch(/^\d+$/);
  });

  it('refuses an unknown device and a known one with another noise key with <failure reason="401">', async () => {
    const companion = await makeCompanion();
    const { checked } = await scanAndSign(companion);
    for (const [noiseKey, jid] of [
      [companion.noiseKey.publicKey, '15550001234:7@s.whatsapp.net'],
      [(await makeCompanion()).noiseKey.publicKey, checked.jid],
    ] as const) {
      const { handler, sent, output } = connect();
      await handler.start(noiseKey, loginPayload(jid));
      expect(sent).toEqual([{ tag: 'failure', attrs: { reason: '401', location: 'test' } }]);
      expect(output.closed).toMatch(/login refused/);
    }
  });
});

describe('IQs', () => {
  async function loggedIn() {
    const companion = await makeCompanion();
    const { checked } = await scanAndSign(companion);
    const connection = connect();
    await connection.handler.start(companion.noiseKey.publicKey, loginPayload(checked.jid));
    connection.sent.length = 0;
    const ask = async (node: BinaryNode) => {
      await connection.handler.receive(node);
      return connection.sent.at(-1)!;
    };
    return { ...connection, ask, companion, jid: checked.jid };
  }

  it('stores an upload, counts it, and refuses a malformed one with 400', async () => {
    const { ask, companion, jid } = await loggedIn();
    const key = (id: number) => ({
      tag: 'key',
      attrs: {},
      content: [
        { tag: 'id', attrs: {}, content: uintToBytes(id, 3) },
        { tag: 'value', attrs: {}, content: crypto.randomBytes(32) },
      ],
    });
    const upload = (list: BinaryNode[]): BinaryNode => ({
      tag: 'iq',
      attrs: { id: 'u', type: 'set', xmlns: 'encrypt' },
      content: [
        { tag: 'registration', attrs: {}, content: uintToBytes(42, 4) },
        { tag: 'type', attrs: {}, content: Uint8Array.of(5) },
        { tag: 'identity', attrs: {}, content: companion.identity.publicKey },
        { tag: 'list', attrs: {}, content: list },
        {
          tag: 'skey',
          attrs: {},
          content: [
            { tag: 'id', attrs: {}, content: uintToBytes(2, 3) },
            { tag: 'value', attrs: {}, content: crypto.randomBytes(32) },
            { tag: 'signature', attrs: {}, content: crypto.randomBytes(64) },
          ],
        },
      ],
    });
    expect((await ask(upload([key(1), key(2), key(3)]))).attrs.type).toBe('result');
    expect(state.devices.get(jid)!.keys.registrationId).toBe(42);
    const count = await ask({
      tag: 'iq',
      attrs: { id: 'c', type: 'get', xmlns: 'encrypt' },
      content: [{ tag: 'count', attrs: {} }],
    });
    expect(child(count, 'count')?.attrs.value).toBe('3');
    const bad = await ask(
      upload([{ tag: 'key', attrs: {}, content: [{ tag: 'id', attrs: {}, content: Uint8Array.of(1) }] }]),
    );
    expect(child(bad, 'error')?.attrs.code).toBe('400');
    expect(state.devices.get(jid)!.keys.preKeyCount).toBe(3);
  });

  it('unlinks a companion that removes itself: result, then device_removed; refuses removing another device', async () => {
    const { handler, sent, output, jid } = await loggedIn();
    const unlink = (target: string): BinaryNode => ({
      tag: 'iq',
      attrs: { id: `u-${target}`, type: 'set', xmlns: 'md' },
      content: [{ tag: 'remove-companion-device', attrs: { jid: target, reason: 'user_initiated' } }],
    });
    await handler.receive(unlink('15550001234:7@s.whatsapp.net'));
    expect(child(sent.at(-1), 'error')?.attrs.code).toBe('403');
    expect(state.devices.get(jid)!.removed).toBe(false);

    await handler.receive(unlink(jid));
    await until(() => output.closed !== undefined, 'the connection was closed');
    const result = sent.findIndex((node) => node.attrs.id === `u-${jid}`);
    const kicked = sent.findIndex((node) => node.tag === 'stream:error');
    expect(sent[result]?.attrs.type).toBe('result');
    expect(kicked).toBeGreaterThan(result);
    expect(sent[kicked]!.attrs.code).toBe('401');
    expect(child(sent[kicked], 'conflict')?.attrs.type).toBe('device_removed');
    expect(state.devices.get(jid)!.removed).toBe(true);
  });

  it("fetches the phone's bundle by PN and by LID, and answers 406 for an unknown user", async () => {
    const { ask, jid } = await loggedIn();
    const phone = phones.get('15550001234')!;
    const reply = await ask({
      tag: 'iq',
      attrs: { id: 'f', type: 'get', xmlns: 'encrypt' },
      content: [
        {
          tag: 'key',
          attrs: {},
          content: [
            { tag: 'user', attrs: { jid: phone.jid } },
            { tag: 'user', attrs: { jid: '999@s.whatsapp.net' } },
          ],
        },
      ],
    });
    const [own, unknown] = children(child(reply, 'list'), 'user');
    expect(child(own, 'identity')?.content).toEqual(phone.identity.publicKey);
    expect(child(own, 'registration')?.content).toEqual(uintToBytes(phone.registrationId, 4));
    expect(child(child(own, 'key'), 'id')?.content).toEqual(uintToBytes(1, 3));
    expect(child(unknown, 'error')?.attrs.code).toBe('406');
    const byLid = await ask({
      tag: 'iq',
      attrs: { id: 'g', type: 'get', xmlns: 'encrypt' },
      content: [{ tag: 'key', attrs: {}, content: [{ tag: 'user', attrs: { jid: phone.lid } }] }],
    });
    const lidUser = child(child(byLid, 'list'), 'user');
    expect(child(lidUser, 'identity')?.content).toEqual(phone.identity.publicKey);
    // The first fetch consumed prekey 1; the second gets prekey 2.
    expect(child(child(lidUser, 'key'), 'id')?.content).toEqual(uintToBytes(2, 3));
    expect(jid).toBeDefined();
  });

  it('refuses encrypt IQs before login and unknown IQs with 501', async () => {
    const { handler, sent } = await registered(await makeCompanion());
    await handler.receive({
      tag: 'iq',
      attrs: { id: 'x', type: 'get', xmlns: 'encrypt' },
      content: [{ tag: 'count', attrs: {} }],
    });
    expect(child(sent.at(-1), 'error')?.attrs.code).toBe('401');
    await handler.receive({ tag: 'iq', attrs: { id: 'y', type: 'set', xmlns: 'w:whatever' } });
    expect(child(sent.at(-1), 'error')?.attrs).toEqual({ code: '501', text: 'feature-not-implemented' });
    expect(sent.at(-1)?.attrs.id).toBe('y');
  });
});

describe('the connection state table', () => {
  it('allows the lifecycle moves and throws on any other', () => {
    expect(transition('handshaking', 'unpaired')).toBe('unpaired');
    expect(transition('pairing', 'unpaired')).toBe('unpaired');
    expect(() => transition('logged-in', 'pairing')).toThrow(/cannot go from "logged-in" to "pairing"/);
    expect(() => transition('closed', 'handshaking')).toThrow();
  });
});
