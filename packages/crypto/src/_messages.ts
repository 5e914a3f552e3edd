/**
 * Error messages both providers use, so the same failure reads the same whichever engine noticed
 * it (the engine's own error is kept as `cause`).
 */
export const MESSAGES = {
  gcmTag: 'AES-GCM: the authentication tag does not verify',
  gcmShort: 'AES-GCM: ciphertext shorter than the 16-byte tag',
  cbcLength: 'AES-CBC: ciphertext length is not a positive multiple of 16',
  cbcPadding: 'AES-CBC: bad PKCS#7 padding',
  zeroShared: 'X25519: the shared secret is all zeros (low-order public key)',
} as const;
