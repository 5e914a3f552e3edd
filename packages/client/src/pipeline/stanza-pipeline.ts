/**
 * The receive path after the frame loop. The frame loop (the connection's `onNode`) must never
 * wait for the network: an IQ reply can only be read once the stanza before it was handled, so a
 * handler that fetched a prekey bundle from inside the frame loop would wait for itself. So the
 * frame loop only pushes each stanza here and reads on; the stanza is handled in its lane
 * (`lanes.ts`), where a handler may send IQs and await them.
 *
 *   frame loop --push--> ordered intake --lane key--> lane "chat A": h1, h2, ... (in order)
 *                                                     lane "chat B": ...        (concurrently)
 *                                                     lane "notification": ...
 *   in a lane:  handlers in order, the first that claims it --> observers --> ack (unless done)
 *
 * Bounded: at most `maxQueued` stanzas wait or run. The offline backlog is pulled in batches only
 * while there is room (`messaging/offline.ts`), which is the back-pressure that matters; a server
 * that pushes past the bound anyway gets the connection closed (`overloaded`), and redelivers what
 * was not acked at the next login, instead of the client growing without limit.
 */
import type { BinaryNode } from '@wakit/binary-node';
import { ackFor } from '../_stanzas';
import { matchesNode, type NodeHandler, type NodeMatch } from '../handlers';
import { Lanes } from './lanes';
import { ACKED_TAGS, type Stanza, type StanzaHandler } from './stanza-handler';

/** Default bound on stanzas waiting or running in the receive path. */
export const MAX_QUEUED_STANZAS = 1_000;

/** The connection a stanza came from, as the pipeline needs it. */
export interface StanzaSource {
  send(node: BinaryNode): Promise<void>;
  readonly closed: boolean;
}

/** Where a stanza's failures go: a handler's (the stanza stays unacked) or an observer's. */
export type FailureReport = (error: unknown, context: string) => void;

/** What the pipeline reports to its owner. */
export interface PipelineHost {
  /** A handler or observer failed, for stanzas pushed without their own `report`. */
  report: FailureReport;
  /** More than `maxQueued` stanzas are waiting: close the connection. */
  overloaded(source: StanzaSource): void;
}

interface Observer {
  match: NodeMatch;
  handler: NodeHandler;
}

/** The ordered chain of stanza handlers, run in lanes. */
export class StanzaPipeline {
  readonly #host: PipelineHost;
  readonly #maxQueued: number;
  readonly #lanes = new Lanes();
  #handlers: StanzaHandler[] = [];
  #observers: Observer[] = [];

  constructor(host: PipelineHost, maxQueued = MAX_QUEUED_STANZAS) {
    this.#host = host;
    this.#maxQueued = maxQueued;
  }

  /** Stanzas waiting or being handled. */
  get queued(): number {
    return this.#lanes.size;
  }

  /** Room left before the bound. */
  get room(): number {
    return Math.max(0, this.#maxQueued - this.#lanes.size);
  }

  /** Adds a handler at the end of the chain (or the front); returns the function that removes it. */
  add(handler: StanzaHandler, position: 'first' | 'last' = 'last'): () => void {
    this.#handlers = position === 'first' ? [handler, ...this.#handlers] : [...this.#handlers, handler];
    return () => {
      this.#handlers = this.#handlers.filter((h) => h !== handler);
    };
  }

  /** Adds an observer: awaited after the claiming handler, for every stanza it matches. */
  observe(match: NodeMatch, handler: NodeHandler): () => void {
    const observer = { match, handler };
    this.#observers = [...this.#observers, observer];
    return () => {
      this.#observers = this.#observers.filter((o) => o !== observer);
    };
  }

  /**
   * Queues a received stanza and returns at once (the frame loop never waits here); the promise
   * settles when the stanza was handled, and never rejects: failures go to `report`.
   */
  push(source: StanzaSource, node: BinaryNode, report: FailureReport = this.#host.report): Promise<void> {
    if (this.#lanes.size >= this.#maxQueued) {
      this.#host.overloaded(source);
      return Promise.resolve();
    }
    const handlers = this.#handlers.filter((h) => matchesNode(h.match, node));
    const first = handlers[0];
    return this.#lanes.push({
      barrier: first?.barrier,
      lane: () => first?.lane?.(node) ?? node.tag,
      run: () => this.#handle(source, node, handlers, report),
      fail: (error) => report(error, `handling <${node.tag}>`),
    });
  }

  /** Resolves once every stanza queued so far was handled. */
  drain(): Promise<void> {
    return this.#lanes.drain();
  }

  async #handle(
    source: StanzaSource,
    node: BinaryNode,
    handlers: StanzaHandler[],
    report: FailureReport,
  ): Promise<void> {
    // Stanzas of a closed connection are left unacked: the server delivers them again.
    if (source.closed) return;
    const stanza = createStanza(source, node);
    for (const handler of handlers) {
      const result = await handler.handle(stanza);
      if (result !== false) break;
    }
    for (const { match, handler } of this.#observers) {
      if (!matchesNode(match, node)) continue;
      try {
        await handler(node);
      } catch (error) {
        report(error, 'a registered handler');
      }
    }
    if (ACKED_TAGS.has(node.tag) && !stanza.acked && !source.closed) await stanza.ack();
  }
}

function createStanza(source: StanzaSource, node: BinaryNode): Stanza {
  let acked = false;
  return {
    node,
    offline: node.attrs.offline !== undefined,
    get acked() {
      return acked;
    },
    ack: async (options = {}) => {
      if (acked) return;
      acked = true;
      const ack = ackFor(node);
      if (options.error !== undefined) ack.attrs.error = String(options.error);
      await source.send(ack);
    },
    ackWith: async (reply) => {
      acked = true;
      await source.send(reply);
    },
    send: (reply) => source.send(reply),
  };
}
