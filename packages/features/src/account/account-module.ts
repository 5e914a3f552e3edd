/**
 * The account as a client module: its own names (push name, PN and LID from the paired
 * credentials), the push name change, A/B props with their hash cache, dirty bits, passive mode
 * and the key-bundle digest check on demand. The shell over `account-wire.ts`, `props-wire.ts`
 * and `dirty-wire.ts`.
 *
 * @example
 * ```ts
 * const account = client.use(accountModule);
 * await account.getPn(); // '15551234567:3@s.whatsapp.net'
 * await account.setPushName('Alice');
 * const props = await account.fetchProps();
 * props.config.get(1234); // an experiment's value
 * client.on('dirty', async ({ type, timestamp }) => account.cleanDirtyBits(type, timestamp));
 * ```
 */
import { defineModule, type KeyBundleCheck, NoCredentialsError } from '@wakit/client';
import { buildPassiveSet, buildPushNamePresence, checkPushName } from './account-wire';
import { buildCleanDirtyBits, type DirtyType, parseDirtyBits } from './dirty-wire';
import { buildPropsQuery, type PropsReply, parseProps } from './props-wire';

/** The account's A/B props as held after a fetch. */
export interface AbProps {
  /** Experiment props: config code -> value (e.g. `'1'`, `'true'`, a number as text). */
  config: ReadonlyMap<number, string>;
  /** Sampling props: event code -> weight (-10000..10000). */
  sampling: ReadonlyMap<number, number>;
  /** The configuration's hash, sent on the next fetch. */
  hash?: string | undefined;
  abKey?: string | undefined;
  /** How long the server suggests keeping these before fetching again, in seconds. */
  refreshSeconds?: number | undefined;
  /**
   * What the last answer was: the whole configuration (`full`), the props changed since the held
   * hash merged into the held ones (`delta`), or nothing new (`unchanged`: the held ones are kept).
   */
  update: 'full' | 'delta' | 'unchanged';
}

/** What `client.use(accountModule)` gives. */
export interface AccountApi {
  /** The account's push name as stored (set by `setPushName`); undefined until one is. */
  getPushName(): Promise<string | undefined>;
  /** This device's phone-number JID (`phone:device@s.whatsapp.net`); undefined before pairing. */
  getPn(): Promise<string | undefined>;
  /** This device's LID (`lid:device@lid`); undefined before pairing or until the server sent it. */
  getLid(): Promise<string | undefined>;
  /**
   * Sets the push name: sent as `<presence name>` now, then stored, so it survives a restart and
   * goes in the next ClientPayload and presence. Throws InvalidPushNameError before sending a bad
   * name, NoCredentialsError before pairing.
   */
  setPushName(name: string): Promise<void>;
  /** Fetches the A/B props (only what changed, when a hash is held) and keeps them in the store. */
  fetchProps(): Promise<AbProps>;
  /** Tells the server the data a dirty bit named has been handled (pass the bit's timestamp). */
  cleanDirtyBits(type: DirtyType, timestamp?: number): Promise<void>;
  /** Passive (the server holds back the offline queue) or active mode. */
  setPassive(passive: boolean): Promise<void>;
  /**
   * Checks the server's copy of this device's key bundle against its keys, as at login: `ok`,
   * `reuploaded` (the server had none: a fresh one was uploaded) or `mismatch` with the difference.
   */
  sendDigestKeyBundle(): Promise<KeyBundleCheck>;
}

// The props as stored in the module's namespace (maps as entry lists, for JSON).
interface StoredProps {
  config: [number, string][];
  sampling: [number, number][];
  hash?: string | undefined;
  abKey?: string | undefined;
  refreshSeconds?: number | undefined;
}

const PROPS_KEY = 'props';

/** The account module; mount it with `client.use(accountModule)`. Emits `dirty` ({ type, timestamp? }). */
export const accountModule = defineModule('account', (host): AccountApi => {
  let held: StoredProps | undefined;

  const account = async () => (await host.store.loadCredentials())?.account;

  // docs/protocol.md §7.6: <ib><dirty/></ib>, at login or while connected. What each type asks for is
  // the user's to do (README, "Dirty bits"); the bit stays set on the server until it is cleaned.
  host.handle({
    name: 'account:dirty',
    match: { tag: 'ib', child: 'dirty' },
    handle: ({ node }) => {
      for (const bit of parseDirtyBits(node)) host.emit('dirty', bit);
      // Not claimed: the groups module acts on a `groups` bit itself, whichever was mounted first.
      return false;
    },
  });

  const fetchProps = async (): Promise<AbProps> => {
    held ??= await host.data.getJson<StoredProps>(PROPS_KEY);
    const sentHash = held?.hash;
    const reply = parseProps(await host.query(buildPropsQuery(sentHash)));
    const { next, update } = merge(held, reply, sentHash);
    held = next;
    await host.data.putJson(PROPS_KEY, next);
    return {
      config: new Map(next.config),
      sampling: new Map(next.sampling),
      hash: next.hash,
      abKey: next.abKey,
      refreshSeconds: next.refreshSeconds,
      update,
    };
  };

  return {
    getPushName: async () => (await account())?.pushName,
    getPn: async () => (await account())?.jid,
    getLid: async () => (await account())?.lid,
    async setPushName(name) {
      checkPushName(name);
      if ((await account()) === undefined) {
        throw new NoCredentialsError('the device is not paired: it has no push name to set');
      }
      // Sent first, stored after (whatsapp-rust `set_push_name`): a failed send changes nothing.
      await host.sendNode(buildPushNamePresence(name));
      await host.updateAccount({ pushName: name });
    },
    fetchProps,
    cleanDirtyBits: (type, timestamp) =>
      host.query(buildCleanDirtyBits([{ type, timestamp }])).then(() => {}),
    setPassive: (passive) => host.query(buildPassiveSet(passive)).then(() => {}),
    sendDigestKeyBundle: () => host.checkKeyBundle(),
  };
});

/**
 * The props to hold after `reply` (whatsapp-rust `fetch_props` and `AbPropsCache::apply_props`): a
 * delta is merged into the held props; an answer to the held hash that carries no props and the
 * same hash changes nothing; anything else replaces them.
 */
function merge(
  held: StoredProps | undefined,
  reply: PropsReply,
  sentHash: string | undefined,
): { next: StoredProps; update: AbProps['update'] } {
  const meta = {
    hash: reply.hash ?? held?.hash,
    abKey: reply.abKey ?? held?.abKey,
    refreshSeconds: reply.refreshSeconds ?? held?.refreshSeconds,
  };
  const empty = reply.config.size === 0 && reply.sampling.size === 0;
  if (held !== undefined && sentHash !== undefined && empty && (reply.delta || reply.hash === sentHash)) {
    return { next: { ...held, ...meta }, update: 'unchanged' };
  }
  if (reply.delta && held !== undefined) {
    const config = new Map(held.config);
    for (const [code, value] of reply.config) config.set(code, value);
    const sampling = new Map(held.sampling);
    for (const [code, weight] of reply.sampling) sampling.set(code, weight);
    return { next: { config: [...config], sampling: [...sampling], ...meta }, update: 'delta' };
  }
  return {
    next: { config: [...reply.config], sampling: [...reply.sampling], ...meta },
    update: 'full',
  };
}
