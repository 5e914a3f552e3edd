/**
 * Regression (issue 10, finding 1): `processPreKeyBundle` required `deviceId`, which its own docs
 * call informational, so every bundle Baileys builds (it has none) failed with a RangeError, also
 * through the `initOutgoing` alias. The bundles here are made by Baileys' own code
 * (baileys@7.0.0-rc14 `lib/Utils/signal.js`) from the nodes a server sends for a libsignal-node
 * device: `parseAndInjectE2ESessions` reads an encrypt IQ's `<user>` (what Baileys passes to
 * libsignal's `SessionBuilder#initOutgoing` through `injectE2ESession`), and
 * `extractE2ESessionFromRetryReceipt` a retry receipt's `<keys>`. The session built from each must
 * then talk to that device both ways.
 */

import type { SignalRepositoryWithLIDStore } from 'baileys/lib/Types/index.js';
import { extractE2ESessionFromRetryReceipt, parseAndInjectE2ESessions } from 'baileys/lib/Utils/signal.js';
import type { BinaryNode } from 'baileys/lib/WABinary/index.js';
import { beforeAll, describe, expect, it, vi } from 'vitest';
import { ProtocolAddress } from '../../src/address';
import { generateIdentityKeyPair, generateRegistrationId } from '../../src/keys';
import { type PreKeyBundle, SessionBuilder } from '../../src/session-builder';
import { SessionCipher } from '../../src/session-cipher';
import { libsignal, type NodeBundle, NodeStore } from '../libsignal-node';
import { PROVIDERS, RecordingStore, text, utf8 } from '../session-helpers';

const JID = '15551234567:2@s.whatsapp.net';

function node(tag: string, content: BinaryNode['content']): BinaryNode {
  return { tag, attrs: {}, content };
}

/** `value` as `bytes` big-endian bytes, as the server writes ids. */
function uint(value: number, bytes: number): Buffer {
  const out = Buffer.alloc(bytes);
  out.writeUIntBE(value, 0, bytes);
  return out;
}

/** The key children of a bundle node; WhatsApp's nodes carry raw 32-byte keys (no 0x05). */
function keyNodes(bundle: NodeBundle): BinaryNode[] {
  const spk = bundle.signedPreKey;
  const nodes = [
    node('identity', bundle.identityKey.subarray(1)),
    node('skey', [
      node('id', uint(spk.keyId, 3)),
      node('value', spk.publicKey.subarray(1)),
      node('signature', spk.signature),
    ]),
  ];
  if (bundle.preKey) {
    nodes.push(
      node('key', [
        node('id', uint(bundle.preKey.keyId, 3)),
        node('value', bundle.preKey.publicKey.subarray(1)),
      ]),
    );
  }
  return nodes;
}

/** The bundle Baileys makes of an encrypt IQ result: `<iq><list><user jid>...</user></list></iq>`. */
async function fromEncryptIq(bundle: NodeBundle): Promise<unknown> {
  const user: BinaryNode = {
    tag: 'user',
    attrs: { jid: JID },
    content: [
      node('registration', uint(bundle.registrationId, 4)),
      node('type', Buffer.from([5])),
      ...keyNodes(bundle),
    ],
  };
  const injected: unknown[] = [];
  const repository = {
    injectE2ESession: async ({ session }: { session: unknown }) => {
      injected.push(session);
    },
  } as unknown as SignalRepositoryWithLIDStore;
  await parseAndInjectE2ESessions({ tag: 'iq', attrs: {}, content: [node('list', [user])] }, repository);
  expect(injected).toHaveLength(1);
  return injected[0];
}

/** The bundle Baileys makes of a retry receipt: `<receipt><registration/><keys>...</keys></receipt>`. */
function fromRetryReceipt(bundle: NodeBundle): unknown {
  const receipt: BinaryNode = {
    tag: 'receipt',
    attrs: {},
    content: [
      node('registration', uint(bundle.registrationId, 4)),
      node('keys', [node('type', Buffer.from([5])), ...keyNodes(bundle)]),
    ],
  };
  const session = extractE2ESessionFromRetryReceipt(receipt);
  expect(session).not.toBeNull();
  return session;
}

const SOURCES = [
  ['an encrypt IQ (parseAndInjectE2ESessions)', fromEncryptIq],
  ['a retry receipt (extractE2ESessionFromRetryReceipt)', fromRetryReceipt],
] as const;

beforeAll(() => {
  // libsignal-node narrates session changes on the console.
  vi.spyOn(console, 'info').mockImplementation(() => {});
});

for (const [providerName, crypto] of PROVIDERS) {
  describe(`bundles as Baileys builds them (${providerName})`, () => {
    for (const [source, build] of SOURCES) {
      for (const withPreKey of [true, false]) {
        for (const method of ['processPreKeyBundle', 'initOutgoing'] as const) {
          it(`${method} takes Baileys' bundle from ${source} ${withPreKey ? 'with' : 'without'} a one-time prekey, and the session talks to libsignal-node`, async () => {
            const peer = new NodeStore();
            const bundle = (await build(peer.bundle(withPreKey))) as PreKeyBundle;
            // The shape under test: no deviceId; the prekey is present or absent as the node says.
            expect(Object.keys(bundle).sort()).toEqual([
              'identityKey',
              'preKey',
              'registrationId',
              'signedPreKey',
            ]);
            expect(bundle.preKey === undefined).toBe(!withPreKey);

            const store = new RecordingStore(
              await generateIdentityKeyPair(crypto),
              generateRegistrationId(crypto),
            );
            const address = new ProtocolAddress('15551234567', 2);
            const result = await new SessionBuilder(store, address, { crypto })[method](bundle);
            expect(result.identityChanged).toBe(false);

            const cipher = new SessionCipher(store, address, { crypto });
            const first = await cipher.encrypt(utf8('hello from wakit'));
            expect(first.type).toBe('pkmsg');
            expect(first.registrationId).toBe(peer.registrationId);
            const theirs = new libsignal.SessionCipher(peer, new libsignal.ProtocolAddress('wakit', 1));
            expect(text(await theirs.decryptPreKeyWhisperMessage(Buffer.from(first.ciphertext)))).toBe(
              'hello from wakit',
            );
            expect(peer.preKeys.size).toBe(0);
            const reply = await theirs.encrypt(Buffer.from(utf8('hello from libsignal')));
            expect(reply.type).toBe(1);
            expect(text((await cipher.decryptMessage(reply.body)).plaintext)).toBe('hello from libsignal');
            expect((await cipher.encrypt(utf8('x'))).type).toBe('msg');
          });
        }
      }
    }
  });
}
