/**
 * The handshake whatsapp-rust's authors recorded from a whatsmeow client talking to the real
 * WhatsApp server (vectors/wa-README.md), replayed checkpoint by checkpoint: once on the bare
 * SymmetricState, following the vector's steps, and once through ClientHandshake with the recorded
 * client ephemeral, where the bytes the client produces afterwards (ClientFinish, first transport
 * frame) are checked against keys derived independently from the recorded checkpoints.
 */
import { create, fromBinary, HandshakeMessageSchema, toBinary } from '@wakit/proto';
import { describe, expect, it } from 'vitest';
import { ClientHandshake } from '../src/client-handshake';
import { CertificateChainError } from '../src/errors';
import { FrameDecoder } from '../src/frame-decoder';
import { SymmetricState } from '../src/symmetric-state';
import { bytesToHex, concat, hexToBytes, PROVIDERS, recorded } from './wa-helpers';

const v = recorded.full_handshake_trace.values_hex;
const x = (name: string) => hexToBytes(v[name]!);
const EMPTY = new Uint8Array(0);
/** Unix seconds inside both certificate windows of the recorded chain. */
const IN_WINDOW_MS = (recorded.cert_chain_from_trace.leaf.details.not_before + 86_400) * 1000;

function iv(counter: number): Uint8Array {
  const out = new Uint8Array(12);
  new DataView(out.buffer).setUint32(8, counter);
  return out;
}

describe.each(PROVIDERS.map((crypto) => [crypto.name, crypto] as const))(
  'recorded WhatsApp handshake (%s)',
  (_, crypto) => {
    it('lists the 8 steps this file replays', () => {
      expect(recorded.full_handshake_trace.steps).toHaveLength(8);
    });

    it('reproduces every checkpoint of the key schedule on the SymmetricState', async () => {
      // Step 0: h = ck = the 32-byte padded protocol name.
      const ss = await SymmetricState.initialize('Noise_XX_25519_AESGCM_SHA256', crypto);
      expect(bytesToHex(ss.handshakeHash)).toBe(recorded.constants.h0_and_ck0_hex);
      expect(bytesToHex(ss.chainingKey)).toBe(recorded.constants.h0_and_ck0_hex);
      // Step 1: MixHash(WA header).
      await ss.mixHash(hexToBytes(recorded.constants.wa_conn_header_hex));
      expect(bytesToHex(ss.handshakeHash)).toBe(v.hash_after_prologue);
      // Step 2: MixHash(client ephemeral).
      expect(await crypto.publicKeyOf(x('client_eph_priv'))).toEqual(x('client_eph_pub'));
      await ss.mixHash(x('client_eph_pub'));
      expect(bytesToHex(ss.handshakeHash)).toBe(v.hash_after_auth_client_eph);
      // Step 3: MixHash(server ephemeral).
      await ss.mixHash(x('server_eph_pub'));
      expect(bytesToHex(ss.handshakeHash)).toBe(v.hash_after_auth_server_eph);
      // Step 4: MixKey(DH(e, re)); h unchanged.
      await ss.mixKey(await crypto.sharedKey(x('client_eph_priv'), x('server_eph_pub')));
      expect(bytesToHex(ss.chainingKey)).toBe(v.salt_after_mix_1);
      expect(bytesToHex(ss.handshakeHash)).toBe(v.aad_for_decrypt_1);
      // Step 5: DecryptAndHash(server static).
      const serverStatic = await ss.decryptAndHash(x('ciphertext_for_decrypt_1'));
      expect(bytesToHex(serverStatic)).toBe(v.plaintext_from_decrypt_1);
      expect(bytesToHex(ss.handshakeHash)).toBe(v.hash_after_decrypt_1);
      expect(bytesToHex(ss.handshakeHash)).toBe(v.aad_for_decrypt_2);
      // Step 6: MixKey(DH(e, rs)).
      await ss.mixKey(await crypto.sharedKey(x('client_eph_priv'), serverStatic));
      expect(bytesToHex(ss.chainingKey)).toBe(v.salt_after_mix_2);
      // Step 7: DecryptAndHash(certificate chain).
      const chain = await ss.decryptAndHash(x('ciphertext_for_decrypt_2'));
      expect(bytesToHex(chain)).toBe(v.plaintext_from_decrypt_2);
      expect(bytesToHex(ss.handshakeHash)).toBe(v.hash_after_decrypt_2);
    });

    it('runs the recorded ServerHello through ClientHandshake and answers with the right ClientFinish', async () => {
      const noiseKey = await crypto.generateKeyPair();
      const payload = new TextEncoder().encode('recorded-login');
      const client = new ClientHandshake({
        crypto,
        noiseKey,
        payload,
        ephemeral: { privateKey: x('client_eph_priv'), publicKey: x('client_eph_pub') },
        now: () => IN_WINDOW_MS,
      });

      // What a whatsmeow client sends: the header, then frame(HandshakeMessage{clientHello{ephemeral}}).
      const first = await client.start();
      expect(bytesToHex(first)).toBe(`5741060300002412220a20${v.client_eph_pub}`);
      expect(bytesToHex(client.handshakeHash)).toBe(v.hash_after_auth_client_eph);

      const serverHello = toBinary(
        HandshakeMessageSchema,
        create(HandshakeMessageSchema, {
          serverHello: {
            ephemeral: x('server_eph_pub'),
            static: x('ciphertext_for_decrypt_1'),
            payload: x('ciphertext_for_decrypt_2'),
          },
        }),
      );
      const finishBytes = await client.receive(serverHello);
      const { result } = client;
      expect(result.pattern).toBe('XX');
      expect(bytesToHex(result.serverStatic)).toBe(v.plaintext_from_decrypt_1);
      expect(bytesToHex(result.serverPayload)).toBe(v.plaintext_from_decrypt_2);
      // The real chain verified under WhatsApp's root (the default).
      expect(result.certChain?.leaf.serial).toBe(recorded.cert_chain_from_trace.leaf.details.serial);
      expect(result.certChain?.intermediate.serial).toBe(
        recorded.cert_chain_from_trace.intermediate.details.serial,
      );

      // Independently of the client: the keys after step 6 from the recorded ck, then ClientFinish.
      const [finishFrame] = new FrameDecoder().push(finishBytes!);
      const finish = fromBinary(HandshakeMessageSchema, finishFrame!).clientFinish!;
      const okm2 = await crypto.hkdf(
        await crypto.sharedKey(x('client_eph_priv'), x('plaintext_from_decrypt_1')),
        64,
        {
          salt: x('salt_after_mix_1'),
        },
      );
      expect(bytesToHex(okm2.subarray(0, 32))).toBe(v.salt_after_mix_2);
      // Nonce 1 (0 decrypted the chain), AD = the recorded hash after the chain: the client's
      // transcript equals the recorded one up to step 7.
      const sealedKey = await crypto.aesGcmDecrypt(
        okm2.subarray(32),
        iv(1),
        finish.static,
        x('hash_after_decrypt_2'),
      );
      expect(sealedKey).toEqual(noiseKey.publicKey);
      // se: DH(s, re) with the server's ephemeral, then the payload under AD = h after the sealed key.
      const okm3 = await crypto.hkdf(await crypto.sharedKey(noiseKey.privateKey, x('server_eph_pub')), 64, {
        salt: okm2.subarray(0, 32),
      });
      const h8 = await crypto.sha256(concat(x('hash_after_decrypt_2'), finish.static));
      expect(await crypto.aesGcmDecrypt(okm3.subarray(32), iv(0), finish.payload, h8)).toEqual(payload);
      const h9 = await crypto.sha256(concat(h8, finish.payload));
      expect(result.handshakeHash).toEqual(h9);

      // Split: the client writes with the first 32 bytes and reads with the last 32.
      const keys = await crypto.hkdf(EMPTY, 64, { salt: okm3.subarray(0, 32) });
      const frame = Uint8Array.of(0, 0xf8, 2, 0x13, 7);
      expect(await result.transport.encrypt(frame)).toEqual(
        await crypto.aesGcmEncrypt(keys.subarray(0, 32), iv(0), frame, EMPTY),
      );
      const fromServer = await crypto.aesGcmEncrypt(keys.subarray(32), iv(0), frame, EMPTY);
      expect(await result.transport.decrypt(fromServer)).toEqual(frame);
    });

    it('refuses the recorded chain once its leaf has expired', async () => {
      const client = new ClientHandshake({
        crypto,
        noiseKey: await crypto.generateKeyPair(),
        payload: EMPTY,
        ephemeral: { privateKey: x('client_eph_priv'), publicKey: x('client_eph_pub') },
        now: () => recorded.cert_chain_from_trace.leaf.details.not_after * 1000,
      });
      await client.start();
      const serverHello = toBinary(
        HandshakeMessageSchema,
        create(HandshakeMessageSchema, {
          serverHello: {
            ephemeral: x('server_eph_pub'),
            static: x('ciphertext_for_decrypt_1'),
            payload: x('ciphertext_for_decrypt_2'),
          },
        }),
      );
      const error = await client.receive(serverHello).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(CertificateChainError);
      expect((error as CertificateChainError).reason).toBe('expired');
    });

    it('decrypts the recorded static key after a single MixKey (static_key_decryption_case)', async () => {
      const c = recorded.static_key_decryption_case.values_hex;
      const ss = await SymmetricState.initialize('Noise_XX_25519_AESGCM_SHA256', crypto);
      expect(bytesToHex(ss.chainingKey)).toBe(c.salt_before_mix);
      const dh = await crypto.sharedKey(hexToBytes(c.client_eph_priv!), hexToBytes(c.server_eph_pub!));
      await ss.mixKey(dh);
      expect(bytesToHex(ss.chainingKey)).toBe(c.go_salt_after_mix);
      // The recorded AD is that run's h, which this vector does not let us rebuild: decrypt directly.
      const okm = await crypto.hkdf(dh, 64, { salt: hexToBytes(c.salt_before_mix!) });
      const plaintext = await crypto.aesGcmDecrypt(
        okm.subarray(32),
        iv(0),
        hexToBytes(c.ciphertext!),
        hexToBytes(c.aad_for_decrypt!),
      );
      expect(bytesToHex(plaintext)).toBe(c.expected_plaintext);
    });

    it('decrypts the recorded AEAD-only case (key, zero nonce, AD)', async () => {
      const c = recorded.aead_only_case.values_hex;
      const plaintext = await crypto.aesGcmDecrypt(
        hexToBytes(c.go_derived_key_hex!),
        iv(0),
        hexToBytes(c.go_ciphertext_hex!),
        hexToBytes(c.go_aad_hex!),
      );
      expect(bytesToHex(plaintext)).toBe(c.go_expected_plaintext_hex);
    });
  },
);
