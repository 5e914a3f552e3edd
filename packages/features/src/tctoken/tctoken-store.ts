/**
 * The trusted-contact tokens of one client: per peer (its user JID, the LID when known), the token
 * the peer issued to us and when, and when we last issued ours to the peer. Kept in the module's
 * store namespace (one key per peer, so it is as durable as the Signal state and cleared with the
 * device) and, once loaded, in memory: the send path reads it for every 1:1 message and must not
 * wait for the store.
 *
 * Writes change memory at once, then reach the store in call order (one chain), so a later write of
 * a peer is never overtaken by an earlier one.
 */
import type { ModuleData } from '@wakit/client';

/** What is held for one peer. */
export interface TcTokenRecord {
  /** The token the peer issued to us. */
  token?: Uint8Array | undefined;
  /** When the peer issued it, unix seconds. */
  t?: number | undefined;
  /** When we last issued our token to the peer, unix seconds. */
  issuedAt?: number | undefined;
}

/** The record as JSON: the token as hex. */
interface StoredRecord {
  token?: string;
  t?: number;
  issuedAt?: number;
}

/** The records of one client, in memory once `load` resolved. */
export class TcTokenStore {
  readonly #data: ModuleData;
  #records: Map<string, TcTokenRecord> | undefined;
  #loading: Promise<Map<string, TcTokenRecord>> | undefined;
  #writes: Promise<void> = Promise.resolve();

  constructor(data: ModuleData) {
    this.#data = data;
  }

  /** True once the records are in memory (`peek` answers). */
  get loaded(): boolean {
    return this.#records !== undefined;
  }

  /** Reads every record into memory, once. */
  async load(): Promise<void> {
    // A failed read is tried again by the next caller, not remembered.
    this.#loading ??= this.#readAll().catch((error: unknown) => {
      this.#loading = undefined;
      throw error;
    });
    this.#records = await this.#loading;
  }

  /** The record of `peer` from memory; undefined when there is none or the store is not loaded. */
  peek(peer: string): TcTokenRecord | undefined {
    return this.#records?.get(peer);
  }

  /** The record of `peer`. */
  async get(peer: string): Promise<TcTokenRecord | undefined> {
    await this.load();
    return this.peek(peer);
  }

  /** Every peer with its record. */
  async entries(): Promise<[string, TcTokenRecord][]> {
    await this.load();
    return [...this.#records!];
  }

  /**
   * Replaces `peer`'s record with `change(current)` (deletes it when that is undefined). The
   * change runs on the record in memory, so two updates of one peer never lose each other's fields.
   */
  async update(
    peer: string,
    change: (current: TcTokenRecord | undefined) => TcTokenRecord | undefined,
  ): Promise<void> {
    await this.load();
    const next = change(this.#records!.get(peer));
    if (next === undefined) this.#records!.delete(peer);
    else this.#records!.set(peer, next);
    const write = this.#writes.then(() =>
      next === undefined ? this.#data.delete(peer) : this.#data.putJson(peer, toStored(next)),
    );
    // The chain goes on after a failed write; the failure is this call's.
    this.#writes = write.catch(() => {});
    await write;
  }

  async #readAll(): Promise<Map<string, TcTokenRecord>> {
    const records = new Map<string, TcTokenRecord>();
    for (const key of await this.#data.keys()) {
      const stored = await this.#data.getJson<StoredRecord>(key);
      if (stored !== undefined) records.set(key, fromStored(stored));
    }
    return records;
  }
}

function toStored(record: TcTokenRecord): StoredRecord {
  const stored: StoredRecord = {};
  if (record.token !== undefined) stored.token = toHex(record.token);
  if (record.t !== undefined) stored.t = record.t;
  if (record.issuedAt !== undefined) stored.issuedAt = record.issuedAt;
  return stored;
}

function fromStored(stored: StoredRecord): TcTokenRecord {
  return {
    token: typeof stored.token === 'string' ? fromHex(stored.token) : undefined,
    t: typeof stored.t === 'number' ? stored.t : undefined,
    issuedAt: typeof stored.issuedAt === 'number' ? stored.issuedAt : undefined,
  };
}

function toHex(bytes: Uint8Array): string {
  let hex = '';
  for (const byte of bytes) hex += byte.toString(16).padStart(2, '0');
  return hex;
}

function fromHex(hex: string): Uint8Array {
  const bytes = new Uint8Array(hex.length >> 1);
  for (let i = 0; i < bytes.length; i += 1) bytes[i] = Number.parseInt(hex.slice(i * 2, i * 2 + 2), 16);
  return bytes;
}
