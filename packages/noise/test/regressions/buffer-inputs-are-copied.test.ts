/**
 * Regression: `Buffer#slice` is a view, not a copy. Keys and other inputs taken as Buffers must be
 * copied for real, or zeroing the caller's Buffer (key hygiene) would silently change our key.
 */
import { Buffer } from 'node:buffer';
import { nobleCrypto } from '@wakit/crypto';
import { describe, expect, it } from 'vitest';
import { CipherState, HandshakeState } from '../../src/index';

describe('inputs given as Buffers', () => {
  it('a CipherState keeps its key when the caller wipes the Buffer it came from', async () => {
    const key = Buffer.alloc(32, 7);
    const sender = new CipherState(key);
    key.fill(0);
    const receiver = new CipherState(new Uint8Array(32).fill(7));
    const sealed = await sender.encryptWithAd(new Uint8Array(0), Uint8Array.of(1, 2, 3));
    expect(await receiver.decryptWithAd(new Uint8Array(0), sealed)).toEqual(Uint8Array.of(1, 2, 3));
  });

  it('a HandshakeState keeps its prologue when the caller reuses the Buffer', async () => {
    const s = await nobleCrypto.generateKeyPair();
    const prologue = Buffer.from('WA\x06\x03', 'latin1');
    const reference = new HandshakeState({
      pattern: 'XX',
      initiator: true,
      s,
      prologue: Uint8Array.from(prologue),
    });
    const state = new HandshakeState({ pattern: 'XX', initiator: true, s, prologue });
    prologue.fill(0);
    await reference.initialize();
    await state.initialize();
    expect(state.handshakeHash).toEqual(reference.handshakeHash);
  });
});
