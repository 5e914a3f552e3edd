import { type BinaryNode, decodeNode, encodeNode, fromXml } from '@wakit/binary-node';
import { nodeCrypto } from '@wakit/crypto/node';
import {
  generateIdentityKeyPair,
  generatePreKeys,
  generateSignedPreKey,
  MemorySignalStore,
  ProtocolAddress,
  SessionBuilder,
  serializePublicKey,
} from '@wakit/signal';
import type { SignalRepositoryWithLIDStore } from 'baileys/lib/Types/index.js';
import { parseAndInjectE2ESessions } from 'baileys/lib/Utils/signal.js';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { uintBE } from '../src/_bytes';
import { MalformedStanzaError } from '../src/errors';
import {
  type BundleError,
  buildBundleQuery,
  type FetchedBundle,
  isBundleError,
  parseBundles,
} from '../src/messaging/wire/bundles';
import { arbitraryNode, expectOnly, mutated } from './messaging-wire-helpers';

const crypto = nodeCrypto;

/** A device's real keys, as the server would hand them out. */
interface DeviceKeys {
  registrationId: number;
  identity: Uint8Array;
  signed: { id: number; publicKey: Uint8Array; signature: Uint8Array };
  preKey?: { id: number; publicKey: Uint8Array };
}

async function deviceKeys(registrationId: number, withPreKey: boolean): Promise<DeviceKeys> {
  const identity = await generateIdentityKeyPair(crypto);
  const signed = await generateSignedPreKey(identity, 0x010203, crypto);
  const [preKey] = await generatePreKeys(0xfffffe, 1, crypto);
  const keys: DeviceKeys = {
    registrationId,
    identity: identity.publicKey,
    signed: { id: signed.keyId, publicKey: signed.keyPair.publicKey, signature: signed.signature },
  };
  if (withPreKey) keys.preKey = { id: preKey!.keyId, publicKey: preKey!.keyPair.publicKey };
  return keys;
}

const b = (tag: string, content: Uint8Array): BinaryNode => ({ tag, attrs: {}, content });

/** The `<user>` of docs/protocol.md §6.6, keys directly under it or under `<keys>`. */
function userNode(
  jid: string,
  keys: DeviceKeys,
  layout: 'direct' | 'keys',
  deviceIdentity?: Uint8Array,
): BinaryNode {
  const keyNodes: BinaryNode[] = [
    b('type', Uint8Array.of(5)),
    b('identity', keys.identity),
    {
      tag: 'skey',
      attrs: {},
      content: [
        b('id', uintBE(keys.signed.id, 3)),
        b('value', keys.signed.publicKey),
        b('signature', keys.signed.signature),
      ],
    },
  ];
  if (keys.preKey) {
    keyNodes.push({
      tag: 'key',
      attrs: {},
      content: [b('id', uintBE(keys.preKey.id, 3)), b('value', keys.preKey.publicKey)],
    });
  }
  if (deviceIdentity) keyNodes.push(b('device-identity', deviceIdentity));
  const registration = b('registration', uintBE(keys.registrationId, 4));
  const content =
    layout === 'direct'
      ? [registration, ...keyNodes]
      : [registration, { tag: 'keys', attrs: {}, content: keyNodes }];
  return { tag: 'user', attrs: { jid }, content };
}

function reply(users: BinaryNode[]): BinaryNode {
  return {
    tag: 'iq',
    attrs: { type: 'result', from: '@s.whatsapp.net' },
    content: [{ tag: 'list', attrs: {}, content: users }],
  };
}

function expected(keys: DeviceKeys, deviceIdentity?: Uint8Array): FetchedBundle {
  const bundle: FetchedBundle = {
    registrationId: keys.registrationId,
    identityKey: serializePublicKey(keys.identity),
    signedPreKey: {
      keyId: keys.signed.id,
      publicKey: serializePublicKey(keys.signed.publicKey),
      signature: keys.signed.signature,
    },
  };
  if (keys.preKey)
    bundle.preKey = { keyId: keys.preKey.id, publicKey: serializePublicKey(keys.preKey.publicKey) };
  if (deviceIdentity) bundle.deviceIdentity = deviceIdentity;
  return bundle;
}

describe('buildBundleQuery', () => {
  it('is <iq xmlns="encrypt" type="get"><key><user jid [reason]/>…</key></iq> (docs/protocol.md §6.6)', () => {
    const iq = buildBundleQuery(['1:2@s.whatsapp.net', '9:1@lid'], 'identity');
    expect(iq).toEqual({
      tag: 'iq',
      attrs: { to: '@s.whatsapp.net', type: 'get', xmlns: 'encrypt' },
      content: [
        {
          tag: 'key',
          attrs: {},
          content: [
            { tag: 'user', attrs: { jid: '1:2@s.whatsapp.net', reason: 'identity' } },
            { tag: 'user', attrs: { jid: '9:1@lid', reason: 'identity' } },
          ],
        },
      ],
    });
    expect(buildBundleQuery(['1@s.whatsapp.net'])).toEqual({
      ...iq,
      content: [{ tag: 'key', attrs: {}, content: [{ tag: 'user', attrs: { jid: '1@s.whatsapp.net' } }] }],
    });
    expect(decodeNode(encodeNode(iq))).toEqual(iq);
  });

  it('refuses strings that are not JIDs', () => {
    expect(() => buildBundleQuery(['no jid'])).toThrow(RangeError);
  });
});

describe('parseBundles', () => {
  it('reads keys directly under <user> and under <keys>, with 33-byte keys and the device identity', async () => {
    const a = await deviceKeys(0x01020304, true);
    const c = await deviceKeys(7, false);
    const identity = Uint8Array.of(0xad, 0x0f);
    const bundles = parseBundles(
      reply([
        userNode('1:2@s.whatsapp.net', a, 'direct'),
        userNode('9:1@lid', c, 'keys', identity),
        { tag: 'other', attrs: {} },
      ]),
    );
    expect([...bundles.keys()]).toEqual(['1:2@s.whatsapp.net', '9:1@lid']);
    expect(bundles.get('1:2@s.whatsapp.net')).toEqual(expected(a));
    expect(bundles.get('9:1@lid')).toEqual(expected(c, identity));
    expect(bundles.get('1:2@s.whatsapp.net')).toMatchObject({
      registrationId: 0x01020304,
      signedPreKey: { keyId: 0x010203 },
    });
  });

  it('gives bundles that @wakit/signal starts a session from (the signature verifies over the 33-byte key)', async () => {
    const keys = await deviceKeys(42, true);
    const bundle = parseBundles(reply([userNode('5:3@lid', keys, 'direct')])).get('5:3@lid') as FetchedBundle;
    const store = new MemorySignalStore(await generateIdentityKeyPair(crypto), 1);
    await new SessionBuilder(store, new ProtocolAddress('5', 3), { crypto }).processPreKeyBundle(bundle);
    expect(await store.loadSession(new ProtocolAddress('5', 3).toString())).toBeDefined();
  });

  it('maps a user with <error> to its code and text, and a malformed one to code 0 with the reason', async () => {
    const keys = await deviceKeys(1, true);
    const shortIdentity = { ...keys, identity: keys.identity.subarray(1) };
    const longSignature = { ...keys, signed: { ...keys.signed, signature: new Uint8Array(65) } };
    const noSkey = userNode('4@lid', keys, 'direct');
    (noSkey.content as BinaryNode[]).splice(3, 1);
    const bundles = parseBundles(
      reply([
        fromXml('<user jid="1@s.whatsapp.net"><error code="406" text="not-acceptable"/></user>'),
        userNode('2@lid', shortIdentity, 'direct'),
        userNode('3@lid', longSignature, 'keys'),
        noSkey,
      ]),
    );
    expect(bundles.get('1@s.whatsapp.net')).toEqual<BundleError>({
      error: { code: 406, text: 'not-acceptable' },
    });
    expect(bundles.get('2@lid')).toEqual<BundleError>({
      error: { code: 0, text: '<identity> has 31 bytes, not 32' },
    });
    expect(bundles.get('3@lid')).toEqual<BundleError>({
      error: { code: 0, text: '<skey><signature> has 65 bytes, not 64' },
    });
    expect(bundles.get('4@lid')).toEqual<BundleError>({ error: { code: 0, text: 'no <skey>' } });
    expect([...bundles.values()].every(isBundleError)).toBe(true);
  });

  it('refuses a reply without <list> or a <user> without a valid jid', async () => {
    const keys = await deviceKeys(1, false);
    expect(() => parseBundles(fromXml('<iq type="result"/>'))).toThrow(MalformedStanzaError);
    const noJid = userNode('1@lid', keys, 'direct');
    noJid.attrs = {};
    expect(() => parseBundles(reply([noJid]))).toThrow(MalformedStanzaError);
  });

  it('round-trips any keys laid out either way, and throws nothing but MalformedStanzaError on damage', async () => {
    const real = await deviceKeys(99, true);
    fc.assert(
      fc.property(
        fc.record({
          registrationId: fc.integer({ min: 0, max: 0xffffffff }),
          identity: fc.uint8Array({ minLength: 32, maxLength: 32 }),
          signed: fc.record({
            id: fc.integer({ min: 0, max: 0xffffff }),
            publicKey: fc.uint8Array({ minLength: 32, maxLength: 32 }),
            signature: fc.uint8Array({ minLength: 64, maxLength: 64 }),
          }),
          preKey: fc.option(
            fc.record({
              id: fc.integer({ min: 0, max: 0xffffff }),
              publicKey: fc.uint8Array({ minLength: 32, maxLength: 32 }),
            }),
            { nil: undefined },
          ),
        }),
        fc.constantFrom<'direct' | 'keys'>('direct', 'keys'),
        (keys, layout) => {
          expect(parseBundles(reply([userNode('1:1@lid', keys, layout)])).get('1:1@lid')).toEqual(
            expected(keys),
          );
        },
      ),
    );
    fc.assert(
      fc.property(arbitraryNode, (node) => expectOnly(MalformedStanzaError, () => parseBundles(node))),
    );
    fc.assert(
      fc.property(
        mutated(reply([userNode('1@lid', real, 'direct'), userNode('2@lid', real, 'keys')])),
        (node) => expectOnly(MalformedStanzaError, () => parseBundles(node)),
      ),
    );
  });
});

describe('parseBundles against Baileys 7', () => {
  it('builds the same bundles as parseAndInjectE2ESessions from the same reply', async () => {
    const users = [
      ['1:2@s.whatsapp.net', await deviceKeys(5, true)],
      ['77:3@lid', await deviceKeys(16383, false)],
    ] as const;
    const node = reply(users.map(([jid, keys]) => userNode(jid, keys, 'direct')));
    const injected: { jid: string; session: FetchedBundle }[] = [];
    const repository = {
      injectE2ESession: async (entry: { jid: string; session: FetchedBundle }) => {
        injected.push(entry);
      },
    } as unknown as SignalRepositoryWithLIDStore;
    await parseAndInjectE2ESessions(node, repository);

    const ours = parseBundles(node);
    expect(injected.map((e) => e.jid)).toEqual([...ours.keys()]);
    for (const { jid, session } of injected) {
      const bundle = ours.get(jid) as FetchedBundle;
      expect(new Uint8Array(session.identityKey)).toEqual(bundle.identityKey);
      expect(session.registrationId).toBe(bundle.registrationId);
      expect(session.signedPreKey.keyId).toBe(bundle.signedPreKey.keyId);
      expect(new Uint8Array(session.signedPreKey.publicKey)).toEqual(bundle.signedPreKey.publicKey);
      expect(new Uint8Array(session.signedPreKey.signature)).toEqual(bundle.signedPreKey.signature);
      expect(session.preKey?.keyId).toBe(bundle.preKey?.keyId);
      expect(session.preKey && new Uint8Array(session.preKey.publicKey)).toEqual(bundle.preKey?.publicKey);
    }
  });

  it('keeps the other devices usable when one has an error, where Baileys fails the whole fetch', async () => {
    const node = reply([
      userNode('1@lid', await deviceKeys(1, true), 'direct'),
      fromXml('<user jid="2@lid"><error code="406" text="x"/></user>'),
    ]);
    const repository = { injectE2ESession: async () => {} } as unknown as SignalRepositoryWithLIDStore;
    await expect(parseAndInjectE2ESessions(node, repository)).rejects.toThrow();
    const ours = parseBundles(node);
    expect(isBundleError(ours.get('1@lid')!)).toBe(false);
    expect(isBundleError(ours.get('2@lid')!)).toBe(true);
  });
});
