/**
 * Where the package's encoders cut their results from (`ByteSlab`, @wakit/crypto: small arrays
 * from shared ArrayBuffers instead of one off-heap allocation each). Two slabs, so that a result's
 * `.buffer` never holds data of another kind: messages bound for the wire apart from what holds
 * chain keys. Internal.
 */
import { ByteSlab } from '@wakit/crypto';

/** `msg`, `pkmsg` and `skmsg` bytes: ciphertext, public once sent. */
export const WIRE_SLAB = new ByteSlab();
/** Session and sender-key records and distribution messages: they hold chain keys. */
export const SECRET_SLAB = new ByteSlab();
