/**
 * A module's own state: one namespace of the store's key-value table, with JSON and bytes
 * helpers. Writes go through the same store as the client's, so a module's data is cleared with
 * the device on logout and is as durable as the Signal state.
 */
import type { KeyValueStore } from '../store/store';

/** Key-value access to one namespace. */
export class ModuleData {
  readonly #kv: KeyValueStore;
  readonly #namespace: string;

  constructor(kv: KeyValueStore, namespace: string) {
    this.#kv = kv;
    this.#namespace = namespace;
  }

  getBytes(key: string): Promise<Uint8Array | undefined> {
    return this.#kv.get(this.#namespace, key);
  }

  putBytes(key: string, value: Uint8Array): Promise<void> {
    return this.#kv.put(this.#namespace, key, value);
  }

  /** The JSON value under `key`, or undefined. */
  async getJson<T>(key: string): Promise<T | undefined> {
    const bytes = await this.#kv.get(this.#namespace, key);
    return bytes === undefined ? undefined : (JSON.parse(new TextDecoder().decode(bytes)) as T);
  }

  putJson(key: string, value: unknown): Promise<void> {
    return this.#kv.put(this.#namespace, key, new TextEncoder().encode(JSON.stringify(value)));
  }

  delete(key: string): Promise<void> {
    return this.#kv.delete(this.#namespace, key);
  }

  keys(): Promise<string[]> {
    return this.#kv.keys(this.#namespace);
  }
}
