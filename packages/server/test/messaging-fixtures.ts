/**
 * Accounts and devices for the messaging tests, made straight in a ServerState (no pairing, no
 * virtual phone answering): device 0 records with a real account key (the key-index list is signed
 * with it), companions with throwaway keys, and endpoints that record what the server writes.
 */
import type { BinaryNode } from '@wakit/binary-node';
import type { KeyPair } from '@wakit/crypto';
import { nodeCrypto as crypto } from '@wakit/crypto/node';
import { ConnectionHandler } from '../src/connection-handler';
import { DeviceKeys } from '../src/device-keys';
import {
  type DeviceRecord,
  deviceJid,
  deviceLid,
  type LiveConnection,
  ServerState,
} from '../src/server-state';
import { loginPayload, makeCompanion } from './companion';
import { DEADLINE_MS } from './until';

/** The fixed clock of these tests: 2026-01-01T00:00:00Z. */
export const NOW_MS = 1_767_225_600_000;
/** `t` attributes under NOW_MS. */
export const NOW_T = String(NOW_MS / 1000);

/** Alice and Bob: phone numbers and LID users. */
export const ALICE = { phone: '15550001111', lid: '100000000000001' } as const;
export const BOB = { phone: '15550002222', lid: '200000000000002' } as const;

export function newState(): ServerState {
  return new ServerState({
    crypto,
    pairReplyTimeoutMs: DEADLINE_MS,
    lowPreKeyThreshold: 5,
    now: () => NOW_MS,
  });
}

function keys(): DeviceKeys {
  return new DeviceKeys(7, crypto.randomBytes(32), {
    id: 1,
    publicKey: crypto.randomBytes(32),
    signature: crypto.randomBytes(64),
  });
}

/** An account's device 0 (the phone) and its identity key; no VirtualPhone answers for it. */
export async function addAccount(
  state: ServerState,
  who: { phone: string; lid: string },
): Promise<{ record: DeviceRecord; identity: KeyPair }> {
  const identity = await crypto.generateKeyPair();
  const record: DeviceRecord = {
    jid: deviceJid(who.phone, 0),
    lid: deviceLid(who.lid, 0),
    phoneNumber: who.phone,
    device: 0,
    noiseKey: undefined,
    deviceIdentity: undefined,
    platform: 'android',
    keys: keys(),
    removed: false,
  };
  state.devices.set(record.jid, record);
  state.phoneIdentities.set(who.phone, identity);
  return { record, identity };
}

/** A companion `device` of the account, as pairing would register it. */
export function addCompanion(
  state: ServerState,
  who: { phone: string; lid: string },
  device: number,
  noiseKey: Uint8Array = crypto.randomBytes(32),
): DeviceRecord {
  const record: DeviceRecord = {
    jid: deviceJid(who.phone, device),
    lid: deviceLid(who.lid, device),
    phoneNumber: who.phone,
    device,
    noiseKey,
    deviceIdentity: crypto.randomBytes(80),
    platform: 'chrome',
    keys: keys(),
    removed: false,
  };
  state.devices.set(record.jid, record);
  return record;
}

/** A live endpoint that records what the server writes to it. */
export class Endpoint implements LiveConnection {
  static #ids = 1000;
  readonly id = Endpoint.#ids++;
  readonly sent: BinaryNode[] = [];
  kicked: { code: number | undefined; conflict?: string } | undefined;
  dropped: string | undefined;

  send(node: BinaryNode): void {
    this.sent.push(node);
  }

  kick(code: number | undefined, conflict?: 'replaced' | 'device_removed'): void {
    this.kicked = { code, conflict };
  }

  drop(reason: string): void {
    this.dropped = reason;
  }

  /** What was written with `tag`, in order. */
  tagged(tag: string): BinaryNode[] {
    return this.sent.filter((n) => n.tag === tag);
  }
}

/** Puts `record` online on a fresh recording endpoint (no login: never draining). */
export function online(state: ServerState, record: DeviceRecord): Endpoint {
  const endpoint = new Endpoint();
  state.live.set(record.jid, endpoint);
  return endpoint;
}

/**
 * A companion with a real Noise key that logs in through a ConnectionHandler: `sent` is everything
 * the handler wrote, `login()` connects again (a new handler, as after a reconnect).
 */
export async function loggingCompanion(
  state: ServerState,
  who: { phone: string; lid: string },
  device: number,
) {
  const companion = await makeCompanion();
  const record = addCompanion(state, who, device, companion.noiseKey.publicKey);
  let ids = 0;
  const login = async () => {
    const sent: BinaryNode[] = [];
    const output = { closed: undefined as string | undefined };
    const handler = new ConnectionHandler(
      state,
      { send: (node) => sent.push(node), close: (reason) => (output.closed = reason) },
      ++ids,
    );
    await handler.start(companion.noiseKey.publicKey, loginPayload(record.jid));
    return { handler, sent, output };
  };
  return { record, login };
}

/** `<enc v="2" type>` with random ciphertext. */
export function enc(type: 'pkmsg' | 'msg' = 'msg', attrs: Record<string, string> = {}): BinaryNode {
  return { tag: 'enc', attrs: { v: '2', type, ...attrs }, content: crypto.randomBytes(24) };
}

/** A 1:1 `<message to id type><participants>…</participants>[extra]</message>`. */
export function fanOut(
  to: string,
  id: string,
  participants: Record<string, BinaryNode>,
  extra: { attrs?: Record<string, string>; content?: BinaryNode[] } = {},
): BinaryNode {
  return {
    tag: 'message',
    attrs: { to, id, type: 'text', ...extra.attrs },
    content: [
      {
        tag: 'participants',
        attrs: {},
        content: Object.entries(participants).map(([jid, e]) => ({
          tag: 'to',
          attrs: { jid },
          content: [e],
        })),
      },
      ...(extra.content ?? []),
    ],
  };
}

/** The ib child tags the endpoint got, in order (`offline_preview`, `offline` ...). */
export function ibTags(sent: BinaryNode[]): string[] {
  return sent.filter((n) => n.tag === 'ib').map((n) => (n.content as BinaryNode[])[0]!.tag);
}
