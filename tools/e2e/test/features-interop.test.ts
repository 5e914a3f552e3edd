/**
 * Interop of the features (issue 12) between the `wakit` facade's client and Baileys 7 (an
 * independent implementation, devDependency baileys@7.0.0-rc14) through @wakit/server over loopback
 * WebSockets:
 * - a Baileys device and a wakit device of ONE account see each other's blocklist, privacy and
 *   default disappearing-mode changes, both in what they fetch and from the server's
 *   `account_sync` notifications (Baileys' `blocklist.update` and account settings, wakit's
 *   `blocklist-update`, `privacy-settings-update` and `disappearing-mode`);
 * - across TWO accounts, presence and chat state sent by either reach the other's handlers, and a
 *   last-seen setting made with either hides it from the other;
 * - Baileys' `onWhatsApp` and wakit's `contacts.isOnWhatsApp` agree on who is on WhatsApp.
 */
import { type BinaryNode, getChild, getChildren } from '@wakit/binary-node';
import { startServer, type VirtualPhone, type WaServer } from '@wakit/server';
import { type makeWASocket, WA_CERT_DETAILS } from 'baileys';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type {
  Blocklist,
  BlocklistChange,
  ChatStateUpdate,
  PresenceUpdate,
  PrivacySetting,
  WakitClient,
} from 'wakit';
import { linkBaileys, nextEvent } from '../../../packages/server/test/baileys-harness';
import { linkFacade, nextFeatureEvent } from './_facade';
import { DEADLINE_MS, until } from './_harness';

type Socket = ReturnType<typeof makeWASocket>;
type BaileysPresence = { lastKnownPresence: string; lastSeen?: number };

describe('wakit and Baileys share the account features', () => {
  let server: WaServer;
  const realRoot = Buffer.from(WA_CERT_DETAILS.PUBLIC_KEY);
  const sockets: Socket[] = [];
  const log: string[] = [];
  const wakitErrors: string[] = [];
  const clients: WakitClient[] = [];
  // Account A has a Baileys device and a wakit device; B a wakit device; C no device (it is blocked).
  let phoneA: VirtualPhone;
  let phoneB: VirtualPhone;
  let phoneC: VirtualPhone;
  let sockA: Socket;
  let wakitA: WakitClient;
  let wakitB: WakitClient;

  beforeAll(async () => {
    server = await startServer();
    // Baileys checks the certificate chain against this constant: trust the test root instead.
    WA_CERT_DETAILS.PUBLIC_KEY = Buffer.from(server.rootPublicKey);
    phoneA = await server.phones.create('15550007001');
    phoneB = await server.phones.create('15550007002');
    phoneC = await server.phones.create('15550007003');
    // A push name, so that Baileys sends available/unavailable at all.
    ({ sock: sockA } = await linkBaileys({ url: server.url, phone: phoneA, log, sockets, name: 'Ana' }));
    wakitA = await linkFacade(server, phoneA, wakitErrors);
    wakitB = await linkFacade(server, phoneB, wakitErrors);
    clients.push(wakitA, wakitB);
  }, 120_000);

  afterAll(async () => {
    for (const sock of sockets) sock.end(undefined);
    for (const client of clients) await client.disconnect();
    WA_CERT_DETAILS.PUBLIC_KEY = realRoot;
    await server?.close();
  });

  /**
   * The next `<notification type="account_sync">` with a `<child>` that Baileys' socket receives
   * (its raw-stanza events: Baileys reports no event of its own for some children).
   */
  const baileysAccountSync = (child: string) =>
    new Promise<BinaryNode>((resolve, reject) => {
      const name = `CB:notification,type:account_sync,${child}`;
      const timer = setTimeout(() => {
        sockA.ws.off(name, listener);
        reject(new Error(`Baileys saw no account_sync <${child}> within ${DEADLINE_MS} ms`));
      }, DEADLINE_MS);
      const listener = (node: BinaryNode) => {
        clearTimeout(timer);
        sockA.ws.off(name, listener);
        resolve(node);
      };
      sockA.ws.on(name, listener);
    });

  /** The `<category name value/>` pairs of an account_sync `<privacy>`. */
  const categoriesIn = (node: BinaryNode): Record<string, string | undefined> => {
    const privacy = getChild(node, 'privacy');
    const categories = privacy === undefined ? [] : getChildren(privacy, 'category');
    return Object.fromEntries(categories.map((c) => [c.attrs.name, c.attrs.value]));
  };

  describe('one account, a Baileys device and a wakit device', () => {
    it('a block made with Baileys reaches wakit as blocklist-update, applied to its cached list', async () => {
      // wakit holds the list before the change, so the notification must update what it holds.
      expect(await wakitA.blocking.getBlocklist()).toMatchObject({ jids: [] });
      expect(await wakitA.blocking.isBlocked(phoneC.jid)).toBe(false);
      // Blocklist fetches that reach wakit (a reply's own <list>, not usync's nested one).
      const fetched: string[] = [];
      const offFetch = wakitA.on('node', (node) => {
        if (node.tag === 'iq' && getChild(node, 'list') !== undefined) fetched.push(node.attrs.id ?? '');
      });
      const update = nextFeatureEvent<{ change: BlocklistChange; blocklist: Blocklist }>(
        wakitA,
        'blocklist-update',
      );
      await sockA.updateBlockStatus(phoneC.jid, 'block');
      const { change, blocklist } = await update;
      expect(change.items).toEqual([{ jid: phoneC.lid, action: 'block' }]);
      expect(blocklist.jids).toEqual([phoneC.lid]);
      offFetch();
      // Applied from the notification (its prev_dhash followed the held list): nothing fetched.
      expect(fetched).toEqual([]);
      expect(await wakitA.blocking.isBlocked(phoneC.jid)).toBe(true);
      expect(await wakitA.blocking.isBlocked(phoneC.lid)).toBe(true);
      expect((await wakitA.blocking.getBlocklist()).jids).toEqual([phoneC.lid]);
      expect(await sockA.fetchBlocklist()).toEqual([phoneC.lid]);

      const removed = nextFeatureEvent<{ change: BlocklistChange }>(wakitA, 'blocklist-update');
      await sockA.updateBlockStatus(phoneC.lid, 'unblock');
      expect((await removed).change.items).toEqual([{ jid: phoneC.lid, action: 'unblock' }]);
      expect(await wakitA.blocking.isBlocked(phoneC.jid)).toBe(false);
    });

    it('a block made with wakit reaches Baileys as blocklist.update and in fetchBlocklist', async () => {
      const update = nextEvent(sockA, 'blocklist.update', () => true, log);
      const after = await wakitA.blocking.block(phoneC.jid);
      expect(after.jids).toEqual([phoneC.lid]);
      expect(await update).toEqual({ blocklist: [phoneC.lid], type: 'add' });
      expect(await sockA.fetchBlocklist()).toEqual([phoneC.lid]);

      const removed = nextEvent(sockA, 'blocklist.update', () => true, log);
      expect((await wakitA.blocking.unblock(phoneC.lid)).jids).toEqual([]);
      expect(await removed).toEqual({ blocklist: [phoneC.lid], type: 'remove' });
      expect(await sockA.fetchBlocklist()).toEqual([]);
    });

    it('privacy set with Baileys is what wakit fetches and reports as privacy-settings-update', async () => {
      const told = nextFeatureEvent<{ settings: PrivacySetting[] }>(wakitA, 'privacy-settings-update');
      await sockA.updateReadReceiptsPrivacy('none');
      expect((await told).settings).toEqual([{ category: 'readreceipts', value: 'none' }]);
      await sockA.updateGroupsAddPrivacy('contacts');
      await sockA.updateCallPrivacy('known');
      await sockA.updateProfilePicturePrivacy('contact_blacklist');
      const settings = await wakitA.fetchPrivacySettings();
      expect(settings.getValue('readreceipts')).toBe('none');
      expect(settings.getValue('groupadd')).toBe('contacts');
      expect(settings.getValue('calladd')).toBe('known');
      expect(settings.getValue('profile')).toBe('contact_blacklist');
      // The disallowed list's hash comes with a contact_blacklist value: the empty list's.
      expect(settings.get('profile')?.dhash).toBe('0');
    });

    it('privacy set with wakit is what Baileys fetches, and the account_sync reaches Baileys', async () => {
      // Baileys reports no event for a privacy account_sync (it only acks it): its raw stanza.
      const told = baileysAccountSync('privacy');
      await wakitA.setPrivacySetting('status', 'none');
      expect(categoriesIn(await told)).toEqual({ status: 'none' });
      await wakitA.setPrivacySetting('messages', 'contacts');
      await wakitA.setPrivacySetting('online', 'match_last_seen');
      // `true`: Baileys keeps the first answer and does not drop it on a privacy account_sync.
      expect(await sockA.fetchPrivacySettings(true)).toMatchObject({
        status: 'none',
        messages: 'contacts',
        online: 'match_last_seen',
        readreceipts: 'none',
      });
      await wakitA.setPrivacySetting('online', 'all');
    });

    it('the default disappearing mode set on either reaches the other through the server', async () => {
      const mode = nextFeatureEvent<{ duration: number }>(wakitA, 'disappearing-mode');
      await sockA.updateDefaultDisappearingMode(604_800);
      expect((await mode).duration).toBe(604_800);
      expect(await wakitA.getDefaultDisappearingMode()).toMatchObject({ duration: 604_800 });

      await wakitA.setDefaultDisappearingMode(86_400);
      await until(
        () => sockA.authState.creds.accountSettings?.defaultDisappearingMode?.ephemeralExpiration === 86_400,
        "Baileys' account settings taking wakit's default from account_sync",
      );
    });
  });

  describe('two accounts, Baileys on A and wakit on B', () => {
    /** The next presence Baileys reports for `jid` that passes `match`. */
    const baileysPresence = async (jid: string, match: (p: BaileysPresence) => boolean) => {
      const event = await nextEvent(
        sockA,
        'presence.update',
        (e) => e.id === jid && e.presences[jid] !== undefined && match(e.presences[jid] as BaileysPresence),
        log,
      );
      return event.presences[jid] as BaileysPresence;
    };
    /** The next `presence` event of wakit B about `jid` that passes `match`. */
    const wakitPresence = (jid: string, match: (p: PresenceUpdate) => boolean) =>
      nextFeatureEvent<PresenceUpdate>(wakitB, 'presence', (p) => p.jid === jid && match(p));

    it('wakit subscribed to Baileys sees it come online and go offline with its last seen', async () => {
      const current = wakitPresence(phoneA.jid, () => true);
      await wakitB.presence.subscribe(phoneA.jid);
      // Baileys said unavailable when it opened (markOnlineOnConnect is off); wakit on A said nothing.
      const first = await current;
      expect(first).toMatchObject({ jid: phoneA.jid, available: false });
      expect(first.lastSeen).toBeTypeOf('number');

      const online = wakitPresence(phoneA.jid, (p) => p.available);
      await sockA.sendPresenceUpdate('available');
      expect(await online).toEqual({ jid: phoneA.jid, available: true });

      const offline = wakitPresence(phoneA.jid, (p) => !p.available);
      await sockA.sendPresenceUpdate('unavailable');
      expect((await offline).lastSeen).toBeGreaterThanOrEqual(first.lastSeen!);
    });

    it('Baileys subscribed to wakit sees it come online and go offline with its last seen', async () => {
      const current = baileysPresence(phoneB.jid, () => true);
      await sockA.presenceSubscribe(phoneB.jid);
      // B's only device never said anything: offline, and never seen.
      expect(await current).toEqual({ lastKnownPresence: 'unavailable' });

      const online = baileysPresence(phoneB.jid, (p) => p.lastKnownPresence === 'available');
      await wakitB.presence.setAvailable();
      expect(await online).toEqual({ lastKnownPresence: 'available' });

      const offline = baileysPresence(phoneB.jid, (p) => p.lastKnownPresence === 'unavailable');
      await wakitB.presence.set('unavailable');
      expect((await offline).lastSeen).toBeTypeOf('number');
    });

    it("composing, recording and paused sent with Baileys reach wakit's chat-state handlers", async () => {
      const states: ChatStateUpdate[] = [];
      const off = wakitB.registerChatstateHandler((update) => states.push(update));
      for (const state of ['composing', 'recording', 'paused'] as const) {
        await sockA.sendPresenceUpdate(state, phoneB.jid);
      }
      await until(() => states.length === 3, "Baileys' three chat states at wakit");
      off();
      expect(states).toEqual(
        ['composing', 'recording', 'paused'].map((state) => ({
          chat: phoneA.jid,
          sender: phoneA.jid,
          state,
        })),
      );
    });

    it('composing, recording and paused sent with wakit reach Baileys as presence.update', async () => {
      // Baileys reports a paused chat state as `available`.
      for (const [sent, seen] of [
        ['composing', 'composing'],
        ['recording', 'recording'],
        ['paused', 'available'],
      ] as const) {
        const update = baileysPresence(phoneB.jid, (p) => p.lastKnownPresence === seen);
        await wakitB.sendChatState(phoneA.jid, sent);
        expect(await update).toEqual({ lastKnownPresence: seen });
      }
    });

    it('last seen set to nobody with either implementation is hidden from the other', async () => {
      const hiddenFromBaileys = baileysPresence(phoneB.jid, (p) => p.lastSeen === undefined);
      await wakitB.setPrivacySetting('last', 'none');
      expect(await hiddenFromBaileys).toEqual({ lastKnownPresence: 'unavailable' });

      const hiddenFromWakit = wakitPresence(phoneA.jid, (p) => p.lastSeen === undefined);
      await sockA.updateLastSeenPrivacy('none');
      expect(await hiddenFromWakit).toEqual({ jid: phoneA.jid, available: false });
    });
  });

  it("Baileys' onWhatsApp and wakit's isOnWhatsApp agree on registered and unknown numbers", async () => {
    const unknown = '15550007099';
    const numbers = [phoneB.phoneNumber, unknown, phoneC.phoneNumber];
    const ours = await wakitA.contacts.isOnWhatsApp(numbers.map((n) => `+${n}`));
    expect(ours).toEqual([
      { phone: `+${phoneB.phoneNumber}`, exists: true, jid: phoneB.jid, lid: phoneB.lid },
      { phone: `+${unknown}`, exists: false },
      { phone: `+${phoneC.phoneNumber}`, exists: true, jid: phoneC.jid, lid: phoneC.lid },
    ]);
    // Baileys leaves a number that is not on WhatsApp out of its answer, and gives no LID.
    const theirs = await sockA.onWhatsApp(...numbers);
    expect(theirs).toEqual(ours.filter((r) => r.exists).map(({ jid }) => ({ jid, exists: true })));
  });

  it('logged no errors on either side', () => {
    // The 515 is the restart after pairing, as in baileys-messaging.test.ts.
    expect(log.filter((line) => !line.startsWith('warn') && !line.includes('"515"'))).toEqual([]);
    expect(wakitErrors).toEqual([]);
  });
});
