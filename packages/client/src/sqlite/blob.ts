/**
 * The byte boundary between better-sqlite3 and the rest of wakit. better-sqlite3 returns BLOBs as
 * Node `Buffer`s; downstream code must only ever see plain, unshared `Uint8Array`s (Buffers can be
 * views into a shared pool, and `Buffer#slice` does not copy), so every BLOB is copied on the way out.
 * On the way in no copy is needed: binding a parameter copies its bytes into SQLite.
 */
import { StoreCorruptError } from '../errors';

/**
 * A plain `Uint8Array` copy of a BLOB column value.
 * @throws StoreCorruptError when the column holds something else (a damaged or foreign row).
 */
export function fromBlob(value: unknown): Uint8Array {
  if (!(value instanceof Uint8Array)) throw new StoreCorruptError(`expected a BLOB, found ${typeof value}`);
  // `new Uint8Array(typedArray)` copies the elements into a fresh ArrayBuffer; the result's
  // prototype is Uint8Array.prototype even when `value` is a Buffer.
  return new Uint8Array(value);
}
