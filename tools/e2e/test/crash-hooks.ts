/**
 * The crash child's instruments, wrapped around the real parts without changing what they do:
 * a store whose transactions report the send they commit (a send's transaction is the one that
 * puts a sent message, under the id the child chose), and a WebSocket transport that reports each
 * frame it hands to the socket. The child turns those reports into self-kills at exact points of
 * a send (`SelfKillPoint`).
 *
 * With `sabotage` the store also breaks the durability rule on purpose: with `late-sessions` the
 * session writes, with `late-sender-keys` the sender-key writes, stay in memory until `flush()`.
 * The crash test's own self-checks use them to show that its checks catch a client that reuses
 * message keys after a restart, pairwise and in a group.
 */

import type { Store, StoreView } from '@wakit/client';
import { WebSocketTransport } from '@wakit/client';
import type { Sabotage } from './crash-protocol';

/** What the store and the transport report to the child. */
export interface CrashProbes {
  /** A send's transaction ran its work (`id` is the sent message); it has not committed. */
  beforeCommit(id: string): void;
  /** A send's transaction committed. */
  afterCommit(id: string): void;
  /** A frame was handed to the socket. */
  afterWrite(): void;
}

/** The instrumented store, and the sabotage's flush (a no-op without sabotage). */
export interface InstrumentedStore {
  store: Store;
  /** Stores the sessions the sabotage held back in memory. */
  flush(): Promise<void>;
}

/**
 * Wraps `inner`. Every other method is the inner store's own, bound to it (a Proxy whose methods
 * ran with the proxy as `this` would break the store's private fields).
 */
export function instrumentStore(inner: Store, probes: CrashProbes, sabotage?: Sabotage): InstrumentedStore {
  const held = sabotage === undefined ? undefined : new Map<string, Uint8Array>();
  const holding = (base: StoreView) => (held === undefined ? {} : holdBack(base, held, sabotage!));
  const transaction: Store['transaction'] = async (work) => {
    let sentId: string | undefined;
    const result = await inner.transaction(async (tx) => {
      const view = instrumentView(tx, holding(tx), (id) => {
        sentId = id;
      });
      const value = await work(view);
      if (sentId !== undefined) probes.beforeCommit(sentId);
      return value;
    });
    if (sentId !== undefined) probes.afterCommit(sentId);
    return result;
  };
  const store = bindProxy(inner, { transaction, ...holding(inner) }) as Store;
  return {
    store,
    flush: async () => {
      if (held === undefined || held.size === 0) return;
      const writes = [...held];
      held.clear();
      await inner.transaction(async (tx) => {
        for (const [key, record] of writes) {
          if (sabotage === 'late-sessions') await tx.storeSession(key, record);
          else await tx.storeSenderKey(key, record);
        }
      });
    },
  };
}

/** A transaction's view that reports `sent.put`, with `overrides` (the sabotage's) in place. */
function instrumentView(tx: StoreView, overrides: object, onSent: (id: string) => void): StoreView {
  const sent = bindProxy(tx.sent, {
    put: async (message: Parameters<StoreView['sent']['put']>[0]) => {
      onSent(message.id);
      await tx.sent.put(message);
    },
  });
  return bindProxy(tx, { sent, ...overrides }) as StoreView;
}

/** The sabotage: the records it is about are written to `held`, and read from there first. */
function holdBack(base: StoreView, held: Map<string, Uint8Array>, sabotage: Sabotage) {
  if (sabotage === 'late-sessions') {
    return {
      loadSession: async (address: string) => held.get(address) ?? (await base.loadSession(address)),
      storeSession: async (address: string, record: Uint8Array) => {
        held.set(address, record);
      },
    };
  }
  return {
    loadSenderKey: async (name: string) => held.get(name) ?? (await base.loadSenderKey(name)),
    storeSenderKey: async (name: string, record: Uint8Array) => {
      held.set(name, record);
    },
  };
}

/** `target` with `overrides` in place of some properties; every function of target bound to it. */
function bindProxy<T extends object>(target: T, overrides: Record<string, unknown>): T {
  return new Proxy(target, {
    get(object, property) {
      if (typeof property === 'string' && Object.hasOwn(overrides, property)) return overrides[property];
      const value = Reflect.get(object, property, object);
      return typeof value === 'function' ? value.bind(object) : value;
    },
  });
}

/**
 * The WebSocket transport, telling `probes` after every frame it hands to the socket. The frame is
 * flushed first: the transport would otherwise hold it until the end of the turn, and a kill right
 * after "the write" would find it never written.
 */
export class ProbedTransport extends WebSocketTransport {
  readonly #probes: CrashProbes;

  constructor(url: string, probes: CrashProbes) {
    super({ url });
    this.#probes = probes;
  }

  override send(data: Uint8Array): void {
    super.send(data);
    this.flush();
    this.#probes.afterWrite();
  }
}
