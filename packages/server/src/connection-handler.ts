/**
 * One client connection's protocol logic, sans-IO: the socket shell hands it the handshake result
 * and every decrypted stanza, and it answers through `ConnectionOutput` (send a node, close). Tests
 * drive it with plain nodes and a recording output.
 *
 *   registration payload -> <pair-device> refs; a phone's scan/code -> pair-success -> the companion's
 *                           pair-device-sign is verified -> device registered -> stream:error 515
 *   login payload        -> known device with this Noise key: <success>; unknown: <failure 401>;
 *                           removed: stream:error 401 device_removed; a second login replaces the first
 *   IQs                  -> the handlers in `iq-router.ts`; anything unknown gets error 501
 */
import type { BinaryNode } from '@wakit/binary-node';
import { type ClientPayload, ClientPayloadSchema, fromBinary } from '@wakit/proto';
import { bytesToUint, equalBytes, toBase64 } from './_bytes';
import { issueDeviceIdentity, verifyDeviceSign } from './adv';
import { type ConnectionState, transition } from './connection-state';
import { DeviceKeys } from './device-keys';
import { announceDeviceChange, inBackground } from './device-notifications';
import { isPhonePairingError, PhonePairingError } from './errors';
import type { ConnectionInfo } from './events';
import { routeIq } from './iq-router';
import {
  child,
  contentBytes,
  failure,
  iqError,
  type StreamConflict,
  streamError,
  unixSeconds,
} from './nodes';
import { pairDeviceNode, pairSuccessNode } from './pair-success';
import { PendingReplies } from './pending-replies';
import {
  type DeviceRecord,
  deviceJid,
  deviceLid,
  type LiveConnection,
  type PairOptions,
  type PairTarget,
  type ServerState,
} from './server-state';

/** Refs per `<pair-device>` (whatsapp-rust's tests and the real server use 6: one QR each). */
export const PAIR_REF_COUNT = 6;

/**
 * How long an unpaired companion may stay connected: the refs' lifetime as clients show them
 * (the first 60 s, each later one 20 s: 60 + 5 x 20 = 160 s; whatsmeow: "160-second time limit",
 * docs/protocol.md §5.2). After that the refs are worthless and the server closes the connection.
 */
export const PAIRING_WINDOW_MS = 160_000;

/** How the handler talks to its socket. */
export interface ConnectionOutput {
  /** Encrypts and writes `node`, in call order. */
  send(node: BinaryNode): void;
  /** Closes the connection after everything sent so far is written. */
  close(reason: string): void;
  /** Destroys the socket at once, like a network drop (fault hooks); `close` when absent. */
  abort?(reason: string): void;
}

/** The protocol state of one connection. */
export class ConnectionHandler implements ConnectionInfo, PairTarget, LiveConnection {
  readonly id: number;
  readonly #server: ServerState;
  readonly #output: ConnectionOutput;
  readonly #replies = new PendingReplies();
  #state: ConnectionState = 'handshaking';
  #noiseKey: Uint8Array | undefined;
  #payload: ClientPayload | undefined;
  #device: DeviceRecord | undefined;
  #refs: string[] = [];
  #pairingTimer: ReturnType<typeof setTimeout> | undefined;
  #passive: boolean | undefined;

  constructor(server: ServerState, output: ConnectionOutput, id: number) {
    this.#server = server;
    this.#output = output;
    this.id = id;
  }

  /** Where the connection is in its lifecycle (`connection-state.ts`). */
  get state(): ConnectionState {
    return this.#state;
  }

  /** The logged-in (or just paired) device's JID. */
  get deviceJid(): string | undefined {
    return this.#device?.jid;
  }

  /** The client's Noise static key, once the handshake completed. */
  get noiseKey(): Uint8Array | undefined {
    return this.#noiseKey;
  }

  /**
   * The mode the client last set with `<iq xmlns="passive">`: `true` after `<passive/>`, `false`
   * after `<active/>`, undefined until it sends either. Recorded only (basic-iqs.ts).
   */
  get passive(): boolean | undefined {
    return this.#passive;
  }

  /** The pairing refs issued to this (unpaired) connection. */
  get refs(): readonly string[] {
    return this.#refs;
  }

  /** The handshake completed: `payload` is the encoded ClientPayload, `noiseKey` the client's static key. */
  async start(noiseKey: Uint8Array, payload: Uint8Array): Promise<void> {
    this.#noiseKey = noiseKey;
    let decoded: ClientPayload;
    try {
      decoded = fromBinary(ClientPayloadSchema, payload);
    } catch {
      this.send(failure(400));
      this.#close('bad ClientPayload');
      return;
    }
    this.#payload = decoded;
    const kind =
      decoded.devicePairingData !== undefined && decoded.username === 0n ? 'registration' : 'login';
    this.#server.events.emit('handshake', { connection: this, kind, noiseKey });
    if (kind === 'registration') this.#register();
    else this.#login(decoded);
  }

  #register(): void {
    this.#state = transition(this.#state, 'unpaired');
    const { crypto } = this.#server;
    this.#refs = Array.from({ length: PAIR_REF_COUNT }, () => `2@${toBase64(crypto.randomBytes(24))}`);
    for (const ref of this.#refs) this.#server.refs.set(ref, this);
    const id = this.#server.nextStanzaId();
    // The ack carries nothing; waiting for it only keeps its id from reaching the IQ router.
    this.#replies.wait(id).catch(() => {});
    this.send(pairDeviceNode(id, this.#refs));
    this.#armPairingWindow();
    this.#server.events.emit('pair-device', {
      connection: this,
      refs: [...this.#refs],
      noiseKey: this.#noiseKey!,
    });
  }

  /** Closes the connection if it is still unpaired when the window ends (see PAIRING_WINDOW_MS). */
  #armPairingWindow(): void {
    const ms = this.#server.options.pairingWindowMs ?? PAIRING_WINDOW_MS;
    this.#pairingTimer = setTimeout(() => {
      this.#pairingTimer = undefined;
      if (this.#state !== 'unpaired') return;
      const codePending = [...this.#server.pairCodeRequests.values()].some((r) => r.target === this);
      if (codePending) this.#armPairingWindow();
      else this.#close('pairing window over');
    }, ms);
    this.#pairingTimer.unref?.();
  }

  #login(payload: ClientPayload): void {
    const jid = deviceJid(String(payload.username), payload.device);
    const record = this.#server.devices.get(jid);
    if (record?.removed) {
      this.#server.events.emit('login-failed', { connection: this, jid, reason: 'removed' });
      this.send(streamError(401, 'device_removed'));
      this.#close('device removed');
      return;
    }
    if (record?.noiseKey === undefined || !equalBytes(record.noiseKey, this.#noiseKey!)) {
      const reason = record === undefined || record.noiseKey === undefined ? 'unknown-device' : 'noise-key';
      this.#server.events.emit('login-failed', { connection: this, jid, reason });
      this.send(failure(401));
      this.#close(`login refused: ${reason}`);
      return;
    }
    // The real server keeps one connection per device: the older one is told it was replaced.
    this.#server.live.get(jid)?.kick(undefined, 'replaced');
    this.#server.live.set(jid, this);
    this.#device = record;
    this.#state = transition(this.#state, 'logged-in');
    const t = unixSeconds(this.#server.options.now());
    this.send({
      tag: 'success',
      attrs: { t, props: '1', abprops: '1', location: 'test', creation: t, lid: record.lid },
    });
    // docs/protocol.md §7.6: the offline queue is announced (and finished, when empty) right away.
    this.#server.outbox.login(jid, this);
    // After the offline preview: whatsapp-rust waits for the offline queue before acting on some
    // types, and an <ib><dirty> is no end marker for it (docs/protocol.md §7.6).
    this.#server.dirty.loggedIn(record, this);
    this.#server.events.emit('login', { connection: this, jid, lid: record.lid });
  }

  /** Handles one decrypted stanza from the client. */
  async receive(node: BinaryNode): Promise<void> {
    if (this.#state === 'closed') return;
    this.#server.events.emit('node', { connection: this, node });
    if (node.tag !== 'iq') {
      // Messages, receipts, acks, <ib>, presence: the stanza router; before login there is no one
      // to relay for, and WhatsApp ignores them.
      if (this.#state === 'logged-in') this.#server.stanzas.receive(this.#device!, node);
      return;
    }
    if ((node.attrs.type === 'result' || node.attrs.type === 'error') && this.#replies.deliver(node)) return;
    if (node.attrs.type !== 'get' && node.attrs.type !== 'set') return;
    const afters: (() => void)[] = [];
    const reply = await routeIq(
      {
        state: this.#server,
        connection: this,
        device: this.#state === 'logged-in' ? this.#device : undefined,
        target: this,
        send: (n) => this.send(n),
        after: (task) => afters.push(task),
        setPassive: (passive) => {
          this.#passive = passive;
        },
      },
      node,
    );
    this.send(reply);
    for (const task of afters) task();
    this.#server.events.emit('iq', { connection: this, node, reply });
  }

  /**
   * Pairs this waiting companion into `options.phoneNumber`'s account (PairTarget).
   *
   * @throws PhonePairingError when the connection is not waiting, the companion refuses or its
   *   signature does not verify; the device is then not registered.
   */
  async pair(options: PairOptions): Promise<string> {
    if (this.#state !== 'unpaired') {
      throw new PhonePairingError(
        this.#state === 'closed' ? 'closed' : 'unknown-ref',
        `the connection is ${this.#state}`,
      );
    }
    const pairing = this.#payload!.devicePairingData!;
    if (!equalBytes(pairing.eIdent, options.companionIdentity)) {
      throw new PhonePairingError(
        'identity-mismatch',
        "the companion's identity is not the one it registered with",
      );
    }
    const account = this.#server.phoneIdentities.get(options.phoneNumber);
    const primary = this.#server.devices.get(deviceJid(options.phoneNumber, 0));
    if (account === undefined || primary === undefined)
      throw new RangeError(`no phone ${options.phoneNumber}`);
    this.#state = transition(this.#state, 'pairing');
    try {
      const device = this.#server.allocateDevice(options.phoneNumber);
      const issued = await issueDeviceIdentity({
        crypto: this.#server.crypto,
        account,
        companionIdentity: options.companionIdentity,
        advSecret: options.advSecret,
        keyIndex: device,
        rawId: this.#server.accounts.get(options.phoneNumber).rawId,
        timestamp: Math.floor(this.#server.options.now() / 1000),
      });
      const jid = deviceJid(options.phoneNumber, device);
      const lid = deviceLid(primary.lid.split('@')[0]!, device);
      const id = this.#server.nextStanzaId();
      const answer = this.#replies.wait(id, {
        ms: this.#server.options.pairReplyTimeoutMs,
        error: () => new PhonePairingError('timeout', 'the companion did not answer pair-success'),
      });
      this.send(
        pairSuccessNode({
          id,
          t: unixSeconds(this.#server.options.now()),
          deviceIdentity: issued.container,
          jid,
          lid,
        }),
      );
      const reply = await answer;
      const signed = contentBytes(child(child(reply, 'pair-device-sign'), 'device-identity'));
      if (reply.attrs.type !== 'result' || signed === undefined) {
        throw new PhonePairingError('rejected', 'the companion did not answer with pair-device-sign');
      }
      try {
        await verifyDeviceSign({
          crypto: this.#server.crypto,
          signed,
          keyIndexAttr: child(child(reply, 'pair-device-sign'), 'device-identity')?.attrs['key-index'],
          issued,
          companionIdentity: options.companionIdentity,
          accountSignatureKey: account.publicKey,
        });
      } catch (error) {
        // docs/protocol.md §5.3 error form, here from the primary's side: the companion learns why.
        this.send(iqError(reply, 401, 'signature-mismatch'));
        throw error;
      }
      const record: DeviceRecord = {
        jid,
        lid,
        phoneNumber: options.phoneNumber,
        device,
        noiseKey: this.#noiseKey,
        deviceIdentity: signed,
        platform: options.platform,
        keys: new DeviceKeys(bytesToUint(pairing.eRegid), pairing.eIdent, {
          id: bytesToUint(pairing.eSkeyId),
          publicKey: pairing.eSkeyVal,
          signature: pairing.eSkeySig,
        }),
        removed: false,
      };
      this.#server.devices.set(jid, record);
      this.#device = record;
      this.#state = transition(this.#state, 'paired');
      this.#releaseRefs();
      this.#server.events.emit('paired', { connection: this, jid, lid, phoneNumber: options.phoneNumber });
      inBackground(announceDeviceChange(this.#server, record, 'add'));
      // docs/protocol.md §5.3 step 6: the companion must reconnect and log in.
      this.send(streamError(515));
      this.#close('paired');
      return jid;
    } catch (error) {
      if (this.#state === 'pairing') this.#state = transition(this.#state, 'unpaired');
      const failed = isPhonePairingError(error)
        ? error
        : new PhonePairingError('rejected', String(error), { cause: error });
      this.#server.events.emit('pair-failed', { connection: this, error: failed });
      throw failed;
    }
  }

  /** Sends `node` unless the connection is closed. */
  send(node: BinaryNode): void {
    if (this.#state !== 'closed') this.#output.send(node);
  }

  /** Sends `<stream:error>` and closes (LiveConnection: a newer login, a removal, a fault hook). */
  kick(code: number | undefined, conflict?: StreamConflict): void {
    this.send(streamError(code, conflict));
    this.#close(conflict ?? `stream error ${code}`);
  }

  /** Ends the connection like a network drop: no stream error, no close frame (a fault hook). */
  drop(reason: string): void {
    if (this.#state === 'closed') return;
    if (this.#output.abort !== undefined) this.#output.abort(reason);
    else this.#output.close(reason);
    this.closed(reason);
  }

  #close(reason: string): void {
    if (this.#state === 'closed') return;
    this.#output.close(reason);
    this.closed(reason);
  }

  /** The socket is gone (or closing): forget this connection everywhere. Idempotent. */
  closed(reason: string): void {
    if (this.#state === 'closed') return;
    this.#state = transition(this.#state, 'closed');
    clearTimeout(this.#pairingTimer);
    this.#releaseRefs();
    for (const [phoneNumber, request] of this.#server.pairCodeRequests) {
      if (request.target !== this) continue;
      this.#server.pairCodeRequests.delete(phoneNumber);
      request.primaryHello?.reject(
        new PhonePairingError('closed', `the companion's connection closed (${reason})`),
      );
    }
    const jid = this.#device?.jid;
    if (jid !== undefined && this.#server.live.get(jid) === this) this.#server.live.delete(jid);
    if (jid !== undefined) this.#server.outbox.closed(jid, this);
    // A disconnect is an `unavailable`, and ends the presence subscriptions made on this connection.
    if (this.#device !== undefined) this.#server.presence.disconnected(this.#device, this);
    this.#replies.rejectAll(new PhonePairingError('closed', `the connection closed (${reason})`));
    this.#server.events.emit('disconnect', { connection: this, reason });
  }

  #releaseRefs(): void {
    for (const ref of this.#refs) if (this.#server.refs.get(ref) === this) this.#server.refs.delete(ref);
  }
}
