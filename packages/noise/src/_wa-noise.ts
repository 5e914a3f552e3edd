/**
 * The Noise HandshakeStates of WhatsApp's three handshakes, built on the generic core.
 *
 * One deviation from Noise needs care: WhatsApp's XX first message carries no payload at all.
 * Noise §5.3 ends every message with `EncryptAndHash(payload)`, so a conformant `-> e` hashes an
 * empty payload (`h = HASH(h || "")`) after the ephemeral; whatsmeow (`handshake.go`: Authenticate(e)
 * and send), whatsapp-rust (`XxHandshakeState::new`) and Baileys do not, and neither does WhatsApp's
 * server: the recorded handshake (`test/recorded-handshake.test.ts`) only verifies without that hash.
 *
 * A first message made of `e` alone and never hashed as a message is exactly a pre-message: Noise
 * hashes pre-message keys with `MixHash` and nothing else. So WhatsApp's XX is the XXfallback *pattern*
 * (pre-message `-> e`, then `<- e, ee, s, es` and `-> s, se`) run under the XX *protocol name*
 * (`Noise_XX_25519_AESGCM_SHA256`, 28 bytes, zero-padded rather than hashed). The client sends its
 * ephemeral in the ClientHello and both sides start from it, which is also how WA Web's
 * `doFallbackHandshake` picks up an IK attempt. IK and XXfallback are the core's patterns as they are.
 */
import type { CryptoProvider, KeyPair } from '@wakit/crypto';
import { HandshakeState } from './handshake-state';
import { XX_FALLBACK } from './patterns';
import { WA_XX_PROTOCOL_NAME, type WaPattern, waConnHeader } from './wa-constants';

export interface WaHandshakeKeys {
  crypto: CryptoProvider;
  /** This side's static key pair. */
  s: KeyPair;
  /** This side's ephemeral: required for the client in XX and XXfallback (it was sent in the ClientHello). */
  e?: KeyPair | undefined;
  /** The client's ephemeral, for the server in XX and XXfallback (from the ClientHello). */
  re?: Uint8Array | undefined;
  /** The server's static, for the client in IK (the cached key). */
  rs?: Uint8Array | undefined;
}

/**
 * The HandshakeState for one side (`initiator` = the client) of a WhatsApp handshake, with the `WA
 * 06 03` prologue. In XX and XXfallback the client's ephemeral is a pre-message, so the state starts
 * after the ClientHello and its next message is the ServerHello.
 */
export function waHandshakeState(
  pattern: WaPattern,
  initiator: boolean,
  keys: WaHandshakeKeys,
): HandshakeState {
  const common = { initiator, prologue: waConnHeader(), s: keys.s, crypto: keys.crypto };
  const e = keys.e === undefined ? {} : { e: keys.e };
  if (pattern === 'IK') {
    return new HandshakeState({ ...common, ...e, pattern: 'IK', ...(initiator ? { rs: keys.rs } : {}) });
  }
  return new HandshakeState({
    ...common,
    ...e,
    ...(initiator ? {} : { re: keys.re }),
    pattern: XX_FALLBACK,
    ...(pattern === 'XX' ? { protocolName: WA_XX_PROTOCOL_NAME } : {}),
  });
}
