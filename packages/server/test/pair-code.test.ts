/**
 * Pair-code linking, primary side, without sockets: the companion half is written here from
 * docs/protocol.md §5.4 (as Baileys `requestPairingCode` and its primary_hello handler do it).
 */
import type { BinaryNode } from '@wakit/binary-node';
import { nodeCrypto as crypto } from '@wakit/crypto/node';
import { beforeEach, describe, expect, it } from 'vitest';
import { concatBytes, utf8 } from '../src/_bytes';
import { ConnectionHandler } from '../src/connection-handler';
import { child, contentBytes } from '../src/nodes';
import {
  openKeyBundle,
  PAIR_CODE_PBKDF2_ROUNDS,
  unwrapEphemeral,
  wrapEphemeral,
} from '../src/pair-code-crypto';
import { Phones } from '../src/phones';
import { ServerState } from '../src/server-state';
import { checkPairSuccess, makeCompanion, registrationPayload } from './companion';
import { isPairSuccess } from './helpers';
import { DEADLINE_MS, until } from './until';

const CODE = 'ABCD2345';

/** The companion's wrap (PBKDF2 of the code, AES-CTR), independent of the server's helper. */
async function companionWrap(code: string, publicKey: Uint8Array) {
  const salt = crypto.randomBytes(32);
  const iv = crypto.randomBytes(16);
  const key = await crypto.pbkdf2(utf8(code), salt, PAIR_CODE_PBKDF2_ROUNDS, 32);
  return concatBytes(salt, iv, await crypto.aesCtr(key, iv, publicKey));
}

describe('pair-code crypto', () => {
  it('unwraps what the companion wrapped, and what it wraps the companion can unwrap', async () => {
    const eph = await crypto.generateKeyPair();
    expect(await unwrapEphemeral(crypto, 'ABCD-2345', await companionWrap(CODE, eph.publicKey))).toEqual(
      eph.publicKey,
    );
    expect(await unwrapEphemeral(crypto, CODE, await wrapEphemeral(crypto, CODE, eph.publicKey))).toEqual(
      eph.publicKey,
    );
  });

  it('refuses a key bundle sealed with another key (a mistyped code)', async () => {
    const primary = await crypto.generateKeyPair();
    const companion = await crypto.generateKeyPair();
    const bundle = crypto.randomBytes(32 + 12 + 112);
    await expect(
      openKeyBundle({
        crypto,
        bundle,
        primaryEphemeral: primary,
        companionEphemeral: companion.publicKey,
        primaryIdentity: primary,
        companionIdentity: companion.publicKey,
      }),
    ).rejects.toMatchObject({ reason: 'key-bundle' });
  });
});

describe('pair-code linking through the connection handler', () => {
  let state: ServerState;
  let phones: Phones;
  beforeEach(() => {
    state = new ServerState({
      crypto,
      pairReplyTimeoutMs: DEADLINE_MS,
      lowPreKeyThreshold: 5,
      now: Date.now,
    });
    phones = new Phones(state);
  });

  async function link(typed: string) {
    const phone = await phones.create('15550001234');
    const companion = await makeCompanion();
    const sent: BinaryNode[] = [];
    const handler = new ConnectionHandler(state, { send: (n) => sent.push(n), close: () => {} }, 1);
    await handler.start(companion.noiseKey.publicKey, registrationPayload(companion));
    const companionEph = await crypto.generateKeyPair();
    await handler.receive({
      tag: 'iq',
      attrs: { id: 'hello', type: 'set', xmlns: 'md', to: '@s.whatsapp.net' },
      content: [
        {
          tag: 'link_code_companion_reg',
          attrs: {
            jid: '15550001234@s.whatsapp.net',
            stage: 'companion_hello',
            should_show_push_notification: 'true',
          },
          content: [
            {
              tag: 'link_code_pairing_wrapped_companion_ephemeral_pub',
              attrs: {},
              content: await companionWrap(CODE, companionEph.publicKey),
            },
            { tag: 'companion_server_auth_key_pub', attrs: {}, content: companion.noiseKey.publicKey },
            { tag: 'companion_platform_id', attrs: {}, content: '1' },
            { tag: 'companion_platform_display', attrs: {}, content: 'Chrome (Linux)' },
            { tag: 'link_code_pairing_nonce', attrs: {}, content: Uint8Array.of(0) },
          ],
        },
      ],
    });
    const ref = contentBytes(child(child(sent.at(-1), 'link_code_companion_reg'), 'link_code_pairing_ref'))!;
    const entered = phone.enterPairCode(typed);
    entered.catch(() => {});
    await until(() => sent.at(-1)?.tag === 'notification', 'primary_hello was sent');
    const hello = child(sent.at(-1), 'link_code_companion_reg')!;
    expect(hello.attrs.stage).toBe('primary_hello');
    expect(contentBytes(child(hello, 'link_code_pairing_ref'))).toEqual(ref);
    // The companion's stage 3 (docs/protocol.md §5.4), with the code it showed.
    const primaryIdentity = contentBytes(child(hello, 'primary_identity_pub'))!;
    const primaryEph = await unwrapEphemeral(
      crypto,
      CODE,
      contentBytes(child(hello, 'link_code_pairing_wrapped_primary_ephemeral_pub'))!,
    );
    const ephShared = await crypto
      .sharedKey(companionEph.privateKey, primaryEph)
      .catch(() => crypto.randomBytes(32));
    const salt = crypto.randomBytes(32);
    const iv = crypto.randomBytes(12);
    const r = crypto.randomBytes(32);
    const bundleKey = await crypto.hkdf(ephShared, 32, {
      salt,
      info: utf8('link_code_pairing_key_bundle_encryption_key'),
    });
    const sealed = await crypto.aesGcmEncrypt(
      bundleKey,
      iv,
      concatBytes(companion.identity.publicKey, primaryIdentity, r),
    );
    const idShared = await crypto.sharedKey(companion.identity.privateKey, primaryIdentity);
    companion.advSecret = await crypto.hkdf(concatBytes(ephShared, idShared, r), 32, {
      info: utf8('adv_secret'),
    });
    await handler.receive({
      tag: 'iq',
      attrs: { id: 'finish', type: 'set', xmlns: 'md', to: '@s.whatsapp.net' },
      content: [
        {
          tag: 'link_code_companion_reg',
          attrs: { jid: '15550001234@s.whatsapp.net', stage: 'companion_finish' },
          content: [
            {
              tag: 'link_code_pairing_wrapped_key_bundle',
              attrs: {},
              content: concatBytes(salt, iv, sealed),
            },
            { tag: 'companion_identity_public', attrs: {}, content: companion.identity.publicKey },
            { tag: 'link_code_pairing_ref', attrs: {}, content: ref },
          ],
        },
      ],
    });
    return { sent, entered, companion, handler, phone };
  }

  it('answers companion_finish, then pairs with the derived adv secret', async () => {
    const { sent, entered, companion, handler } = await link('abcd-2345');
    const finishReply = sent.findIndex((n) => n.attrs.id === 'finish');
    expect(sent[finishReply]!.attrs.type).toBe('result');
    await until(() => sent.some(isPairSuccess), 'pair-success was sent');
    // pair-success comes after the answer to companion_finish, as Baileys needs.
    expect(sent.findIndex(isPairSuccess)).toBeGreaterThan(finishReply);
    const checked = await checkPairSuccess(companion, sent.find(isPairSuccess)!);
    await handler.receive(checked.reply);
    expect(await entered).toBe('15550001234:1@s.whatsapp.net');
  });

  it('rejects a mistyped code when the key bundle does not open, and pairs nothing', async () => {
    const { sent, entered } = await link('ABCD-2346');
    await expect(entered).rejects.toMatchObject({ reason: 'key-bundle' });
    expect(sent.find((n) => n.attrs.id === 'finish')?.attrs.type).toBe('error');
    expect(sent.some(isPairSuccess)).toBe(false);
    expect(state.devices.size).toBe(1);
  });

  it('refuses a code when nobody asked to link the number', async () => {
    const phone = await phones.create('15550009999');
    await expect(phone.enterPairCode(CODE)).rejects.toMatchObject({ reason: 'no-pair-code-request' });
  });
});
