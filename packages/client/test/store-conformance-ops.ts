/**
 * Store operations as data, for the property that a transaction behaves like the same operations
 * applied directly: a fast-check arbitrary of every `StoreView` method but `prune` (refused inside
 * transactions), an interpreter, and a snapshot of everything the operations can reach.
 *
 * What the generator avoids, and why: its keys come from small fixed sets (four Signal names, three
 * devices, three LIDs and PNs...), so operations collide on the same keys often, which is where a
 * buffered view can go wrong; names include `_` and `:` and prefixes of each other (`a`, `ab`, `a_b`,
 * `a:1`) because per-user reads match on address prefixes.
 */
import fc from 'fast-check';
import type { DeviceCredentials, DeviceList, StoreView } from '../src/store/store';
import { bytes, keyPair, pairedCredentials, unpairedCredentials } from './store-fixtures';

const NAMES = ['a', 'ab', 'a_b', 'a:1'];
const DEVICES = [0, 1, 2];
const ADDRESSES = NAMES.flatMap((name) => DEVICES.map((id) => `${name}.${id}`));
const PRE_KEY_IDS = [1, 2, 3, 4];
// Senders among NAMES (so moveUser moves them), in two groups and two devices, `_` included.
const SENDER_KEYS = ['g@g.us::a::0', 'g@g.us::ab::0', 'h@g.us::a::1', 'g@g.us::a_b::0', 'h@g.us::a:1::1'];
const USERS = ['u1@lid', 'u2@lid'];
const LIDS = ['1@lid', '2@lid', '3@lid'];
const PNS = ['1@s.whatsapp.net', '2@s.whatsapp.net', '3@s.whatsapp.net'];
const MESSAGE_IDS = ['m1', 'm2', 'm3'];
const SENT_IDS = ['s1', 's2'];
const NAMESPACES = ['n1', 'n2'];
const KEYS = ['k1', 'k2', 'k3'];
const CHAT = 'c@s.whatsapp.net';

const CREDENTIALS: DeviceCredentials[] = [
  unpairedCredentials(),
  pairedCredentials(),
  {
    ...unpairedCredentials(),
    registrationId: 7,
    signedPreKey: { keyId: 2, keyPair: keyPair(60), signature: bytes(64) },
  },
];

function list(user: string, seed: number): DeviceList {
  return { user, devices: [{ id: 0 }, { id: seed + 1, keyIndex: seed }], fetchedAt: seed };
}

const seed = fc.nat(3);
const address = fc.constantFrom(...ADDRESSES);
const name = fc.constantFrom(...NAMES);

/** One operation: the method and its arguments (printable, so a failing case reads well). */
export type Op =
  | ['saveCredentials', number]
  | ['loadCredentials']
  | ['getLocalRegistrationId']
  | ['loadSignedPreKey', number]
  | ['saveIdentity', string, number]
  | ['isTrustedIdentity', string, number]
  | ['getIdentity', string]
  | ['storeSession', string, number]
  | ['loadSession', string]
  | ['storePreKeys', number[], number]
  | ['removePreKey', number]
  | ['loadPreKey', number]
  | ['countPreKeys']
  | ['storeSenderKey', string, number]
  | ['loadSenderKey', string]
  | ['devices.put', string, number]
  | ['devices.delete', string]
  | ['devices.get', string]
  | ['lids.put', string, string]
  | ['lids.getLid', string]
  | ['lids.getPn', string]
  | ['received.add', string, number]
  | ['received.has', string]
  | ['sent.put', string, number]
  | ['sent.get', string]
  | ['sessionDevices', string]
  | ['deleteSessions', string]
  | ['deleteIdentities', string]
  | ['moveUser', string, string]
  | ['kv.put', string, string, number]
  | ['kv.delete', string, string]
  | ['kv.get', string, string]
  | ['kv.keys', string];

/** Any operation over the fixed key sets. */
export const opArb: fc.Arbitrary<Op> = fc.oneof(
  fc.tuple(fc.constant('saveCredentials' as const), fc.nat(CREDENTIALS.length - 1)),
  fc.tuple(fc.constant('loadCredentials' as const)),
  fc.tuple(fc.constant('getLocalRegistrationId' as const)),
  fc.tuple(fc.constant('loadSignedPreKey' as const), fc.integer({ min: 1, max: 2 })),
  fc.tuple(fc.constant('saveIdentity' as const), address, seed),
  fc.tuple(fc.constant('isTrustedIdentity' as const), address, seed),
  fc.tuple(fc.constant('getIdentity' as const), address),
  fc.tuple(fc.constant('storeSession' as const), address, seed),
  fc.tuple(fc.constant('loadSession' as const), address),
  fc.tuple(
    fc.constant('storePreKeys' as const),
    fc.uniqueArray(fc.constantFrom(...PRE_KEY_IDS), { maxLength: 3 }),
    seed,
  ),
  fc.tuple(fc.constant('removePreKey' as const), fc.constantFrom(...PRE_KEY_IDS)),
  fc.tuple(fc.constant('loadPreKey' as const), fc.constantFrom(...PRE_KEY_IDS)),
  fc.tuple(fc.constant('countPreKeys' as const)),
  fc.tuple(fc.constant('storeSenderKey' as const), fc.constantFrom(...SENDER_KEYS), seed),
  fc.tuple(fc.constant('loadSenderKey' as const), fc.constantFrom(...SENDER_KEYS)),
  fc.tuple(fc.constant('devices.put' as const), fc.constantFrom(...USERS), seed),
  fc.tuple(fc.constant('devices.delete' as const), fc.constantFrom(...USERS)),
  fc.tuple(fc.constant('devices.get' as const), fc.constantFrom(...USERS)),
  fc.tuple(fc.constant('lids.put' as const), fc.constantFrom(...LIDS), fc.constantFrom(...PNS)),
  fc.tuple(fc.constant('lids.getLid' as const), fc.constantFrom(...PNS)),
  fc.tuple(fc.constant('lids.getPn' as const), fc.constantFrom(...LIDS)),
  fc.tuple(fc.constant('received.add' as const), fc.constantFrom(...MESSAGE_IDS), seed),
  fc.tuple(fc.constant('received.has' as const), fc.constantFrom(...MESSAGE_IDS)),
  fc.tuple(fc.constant('sent.put' as const), fc.constantFrom(...SENT_IDS), seed),
  fc.tuple(fc.constant('sent.get' as const), fc.constantFrom(...SENT_IDS)),
  fc.tuple(fc.constant('sessionDevices' as const), name),
  fc.tuple(fc.constant('deleteSessions' as const), name),
  fc.tuple(fc.constant('deleteIdentities' as const), name),
  fc.tuple(fc.constant('moveUser' as const), name, name),
  fc.tuple(fc.constant('kv.put' as const), fc.constantFrom(...NAMESPACES), fc.constantFrom(...KEYS), seed),
  fc.tuple(fc.constant('kv.delete' as const), fc.constantFrom(...NAMESPACES), fc.constantFrom(...KEYS)),
  fc.tuple(fc.constant('kv.get' as const), fc.constantFrom(...NAMESPACES), fc.constantFrom(...KEYS)),
  fc.tuple(fc.constant('kv.keys' as const), fc.constantFrom(...NAMESPACES)),
);

/** Runs `op` on `view`. */
export function runOp(view: StoreView, op: Op): Promise<unknown> {
  switch (op[0]) {
    case 'saveCredentials':
      return view.saveCredentials(CREDENTIALS[op[1]]!);
    case 'loadCredentials':
      return view.loadCredentials();
    case 'getLocalRegistrationId':
      return view.getLocalRegistrationId();
    case 'loadSignedPreKey':
      return view.loadSignedPreKey(op[1]);
    case 'saveIdentity':
      return view.saveIdentity(op[1], bytes(33, op[2]));
    case 'isTrustedIdentity':
      return view.isTrustedIdentity(op[1], bytes(33, op[2]), 'receiving');
    case 'getIdentity':
      return view.getIdentity(op[1]);
    case 'storeSession':
      return view.storeSession(op[1], bytes(3 + op[2], op[2]));
    case 'loadSession':
      return view.loadSession(op[1]);
    case 'storePreKeys':
      return view.storePreKeys(op[1].map((keyId) => ({ keyId, keyPair: keyPair(op[2]) })));
    case 'removePreKey':
      return view.removePreKey(op[1]);
    case 'loadPreKey':
      return view.loadPreKey(op[1]);
    case 'countPreKeys':
      return view.countPreKeys();
    case 'storeSenderKey':
      return view.storeSenderKey(op[1], bytes(5, op[2]));
    case 'loadSenderKey':
      return view.loadSenderKey(op[1]);
    case 'devices.put':
      return view.devices.put(list(op[1], op[2]));
    case 'devices.delete':
      return view.devices.delete(op[1]);
    case 'devices.get':
      return view.devices.get(op[1]);
    case 'lids.put':
      return view.lids.put(op[1], op[2]);
    case 'lids.getLid':
      return view.lids.getLid(op[1]);
    case 'lids.getPn':
      return view.lids.getPn(op[1]);
    case 'received.add':
      return view.received.add({ chat: CHAT, sender: CHAT, id: op[1] }, op[2]);
    case 'received.has':
      return view.received.has({ chat: CHAT, sender: CHAT, id: op[1] });
    case 'sent.put':
      return view.sent.put({ chat: CHAT, id: op[1], message: bytes(4, op[2]), at: op[2] });
    case 'sent.get':
      return view.sent.get(CHAT, op[1]);
    case 'sessionDevices':
      return view.signalUsers.sessionDevices(op[1]);
    case 'deleteSessions':
      return view.signalUsers.deleteSessions(op[1]);
    case 'deleteIdentities':
      return view.signalUsers.deleteIdentities(op[1]);
    case 'moveUser':
      return view.signalUsers.moveUser(op[1], op[2]);
    case 'kv.put':
      return view.kv.put(op[1], op[2], bytes(2, op[3]));
    case 'kv.delete':
      return view.kv.delete(op[1], op[2]);
    case 'kv.get':
      return view.kv.get(op[1], op[2]);
    case 'kv.keys':
      return view.kv.keys(op[1]);
  }
}

/** What an operation answered: its value, or the code (or class) of what it threw. */
export async function outcome(view: StoreView, op: Op): Promise<{ value: unknown } | { error: unknown }> {
  try {
    return { value: await runOp(view, op) };
  } catch (error) {
    return { error: (error as { code?: unknown }).code ?? (error as Error).constructor.name };
  }
}

/** Everything the operations can reach, read through `view`. */
export async function snapshot(view: StoreView): Promise<Record<string, unknown>> {
  const state: Record<string, unknown> = {};
  state.credentials = await view.loadCredentials();
  state.registrationId = await outcome(view, ['getLocalRegistrationId']);
  state.signedPreKey = await outcome(view, ['loadSignedPreKey', 2]);
  for (const a of ADDRESSES) state[`identity ${a}`] = await view.getIdentity(a);
  for (const a of ADDRESSES) state[`session ${a}`] = await view.loadSession(a);
  for (const id of PRE_KEY_IDS) state[`preKey ${id}`] = await view.loadPreKey(id);
  state.preKeyCount = await view.countPreKeys();
  for (const n of SENDER_KEYS) state[`senderKey ${n}`] = await view.loadSenderKey(n);
  for (const user of USERS) state[`devices ${user}`] = await view.devices.get(user);
  for (const lid of LIDS) state[`pn of ${lid}`] = await view.lids.getPn(lid);
  for (const pn of PNS) state[`lid of ${pn}`] = await view.lids.getLid(pn);
  for (const id of MESSAGE_IDS)
    state[`received ${id}`] = await view.received.has({ chat: CHAT, sender: CHAT, id });
  for (const id of SENT_IDS) state[`sent ${id}`] = await view.sent.get(CHAT, id);
  for (const n of NAMES) state[`sessionDevices ${n}`] = await view.signalUsers.sessionDevices(n);
  for (const ns of NAMESPACES) {
    state[`keys ${ns}`] = await view.kv.keys(ns);
    for (const key of KEYS) state[`kv ${ns} ${key}`] = await view.kv.get(ns, key);
  }
  return state;
}
