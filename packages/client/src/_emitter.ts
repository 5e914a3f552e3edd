/**
 * A small typed event emitter, shared by transports and the client. Not Node's EventEmitter: it
 * runs everywhere, `on` returns the unsubscribe function, and a throwing listener never stops the
 * others (its error goes to `onListenerError`).
 */

/** Listener map: event name -> payload type. */
export type EventMap = Record<string, unknown>;

/** A listener for one event. */
export type Listener<T> = (payload: T) => void;

/** Subscribe-only view of an emitter. */
export interface Subscribable<Events extends EventMap> {
  /** Adds a listener; returns the function that removes it. */
  on<K extends keyof Events>(event: K, listener: Listener<Events[K]>): () => void;
  /** Adds a listener that runs once; returns the function that removes it. */
  once<K extends keyof Events>(event: K, listener: Listener<Events[K]>): () => void;
  /** Removes a listener added with `on` (not one added with `once`; use its returned function). */
  off<K extends keyof Events>(event: K, listener: Listener<Events[K]>): void;
}

export class Emitter<Events extends EventMap> implements Subscribable<Events> {
  readonly #listeners = new Map<keyof Events, Set<Listener<never>>>();

  constructor(private readonly onListenerError: (error: unknown, event: keyof Events) => void = () => {}) {}

  on<K extends keyof Events>(event: K, listener: Listener<Events[K]>): () => void {
    let set = this.#listeners.get(event);
    if (set === undefined) {
      set = new Set();
      this.#listeners.set(event, set);
    }
    set.add(listener as Listener<never>);
    return () => this.off(event, listener);
  }

  once<K extends keyof Events>(event: K, listener: Listener<Events[K]>): () => void {
    const off = this.on(event, (payload) => {
      off();
      listener(payload);
    });
    return off;
  }

  off<K extends keyof Events>(event: K, listener: Listener<Events[K]>): void {
    this.#listeners.get(event)?.delete(listener as Listener<never>);
  }

  /** How many listeners `event` has. */
  listenerCount(event: keyof Events): number {
    return this.#listeners.get(event)?.size ?? 0;
  }

  emit<K extends keyof Events>(event: K, payload: Events[K]): void {
    const set = this.#listeners.get(event);
    if (set === undefined) return;
    // A copy: listeners may unsubscribe (or subscribe) while we iterate.
    for (const listener of [...set]) {
      try {
        (listener as Listener<Events[K]>)(payload);
      } catch (error) {
        this.onListenerError(error, event);
      }
    }
  }
}
