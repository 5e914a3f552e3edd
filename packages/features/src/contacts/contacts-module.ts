/**
 * Contacts as a client module: who is on WhatsApp, what the server tells about users, and where
 * their profile pictures are. The shell over `on-whatsapp-wire.ts`, `user-info-wire.ts` and
 * `profile-picture-wire.ts`; the peers' trusted-contact tokens come from the tcToken module
 * (mounted with this one) and ride in the user-info and picture queries as WhatsApp sends them.
 *
 * @example
 * ```ts
 * const contacts = client.use(contactsModule);
 * const [ana] = await contacts.isOnWhatsApp(['+15551234567']);
 * // { phone: '+15551234567', exists: true, jid: '15551234567@s.whatsapp.net', lid: '…@lid' }
 * const info = await contacts.getUserInfo([ana.jid!]); // Map: jid -> { status, pictureId, devices, … }
 * const picture = await contacts.getProfilePicture(ana.jid!, { preview: true }); // { id, url, … } | undefined
 * ```
 */
import { isPnUser, tryParseJid } from '@wakit/binary-node';
import { defineModule, IqError } from '@wakit/client';
import { personUser, takesTcTokens, userOf } from '../_users';
import { ProfilePictureNotAuthorizedError } from '../errors';
import { tcTokenModule } from '../tctoken/tctoken-module';
import { buildOnWhatsAppQuery, parseOnWhatsApp, phoneDigits } from './on-whatsapp-wire';
import { type PictureChangedEvent, parsePictureNotification } from './picture-notification';
import {
  buildProfilePictureGet,
  type ProfilePicture,
  parseProfilePicture,
  type UnchangedProfilePicture,
} from './profile-picture-wire';
import { buildUserInfoQuery, parseUserInfo, type UserInfo } from './user-info-wire';

/** One number's answer from `isOnWhatsApp`. */
export interface OnWhatsAppResult {
  /** The number exactly as it was given. */
  phone: string;
  exists: boolean;
  /** The account's phone-number JID, when `exists`. */
  jid?: string | undefined;
  /** The account's LID, when `exists` and the server gave it. */
  lid?: string | undefined;
}

/** What `client.use(contactsModule)` gives. */
export interface ContactsApi {
  /**
   * Which of `phones` (digits, with or without a leading `+`) are on WhatsApp, in the order given
   * (a number given twice is asked once and answered twice).
   *
   * @throws RangeError for a number that is not 2 to 15 digits after an optional `+` (nothing is sent).
   */
  isOnWhatsApp(phones: readonly string[]): Promise<OnWhatsAppResult[]>;
  /**
   * What the server tells about `jids` (people, PN or LID): status, picture id, devices, LID,
   * verified business name; a Map keyed by each user's JID (device dropped) as the server answered.
   * A user the server says nothing about is absent.
   *
   * @throws RangeError for a JID that is not a person's; MalformedFeatureReplyError for a reply
   *   without the protocol's shape.
   */
  getUserInfo(jids: readonly string[]): Promise<Map<string, UserInfo>>;
  /**
   * Where to download `jid`'s profile picture (a user or a group): the full image, or the
   * thumbnail with `preview`. Undefined when there is none. With `id` (of a picture held from
   * before), `{ id, unchanged: true }` when it is still the current one.
   *
   * @throws ProfilePictureNotAuthorizedError when the target hides it from us or blocked us;
   *   RangeError for a JID that does not parse.
   */
  getProfilePicture(jid: string, options?: { preview?: boolean }): Promise<ProfilePicture | undefined>;
  getProfilePicture(
    jid: string,
    options: { preview?: boolean; id: string },
  ): Promise<ProfilePicture | UnchangedProfilePicture | undefined>;
}

/** The event names and payloads the contacts module emits. */
export interface ContactsEvents {
  /** A profile picture changed: a user's (the account's own from another device) or a group's. */
  'picture-changed': PictureChangedEvent;
}

/**
 * The contacts module; mount it with `client.use(contactsModule)` (it mounts `tcTokenModule` too).
 * Emits `picture-changed` for every `<notification type="picture">` change.
 */
export const contactsModule = defineModule('contacts', (host): ContactsApi => {
  const tcTokens = host.use(tcTokenModule);
  host.handle({
    name: 'contacts:picture',
    match: { tag: 'notification', attrs: { type: 'picture' } },
    handle: ({ node }) => {
      for (const change of parsePictureNotification(node)) host.emit('picture-changed', change);
    },
  });
  let queries = 0;
  const sid = () => {
    queries += 1;
    return `contacts-${host.timers.now()}-${queries}`;
  };

  /** The token `jid` issued to us, unless `jid` is us (the server never answers that). */
  const tokenFor = async (jid: string): Promise<Uint8Array | undefined> => {
    const user = userOf(jid);
    if (!takesTcTokens(user)) return undefined;
    const account = (await host.store.loadCredentials())?.account;
    const own = [account?.jid, account?.lid].map((own) => (own === undefined ? undefined : userOf(own)));
    return own.includes(user) ? undefined : (await tcTokens.getToken(user))?.token;
  };

  async function getProfilePicture(
    jid: string,
    options: { preview?: boolean; id?: string } = {},
  ): Promise<ProfilePicture | UnchangedProfilePicture | undefined> {
    if (tryParseJid(jid) === undefined)
      throw new RangeError(`getProfilePicture() expects a JID, got "${jid}"`);
    const target = userOf(jid);
    const query = buildProfilePictureGet(target, {
      preview: options.preview,
      id: options.id,
      tcToken: await tokenFor(target),
    });
    let reply: Awaited<ReturnType<typeof host.query>>;
    try {
      reply = await host.query(query);
    } catch (error) {
      if (!(error instanceof IqError)) throw error;
      if (error.errorCode === 404 || error.errorCode === 204) return undefined;
      if (error.errorCode === 401) throw new ProfilePictureNotAuthorizedError(target, { cause: error });
      throw error;
    }
    const answer = parseProfilePicture(reply, options.id);
    if (answer !== undefined && 'notAuthorized' in answer) throw new ProfilePictureNotAuthorizedError(target);
    return answer;
  }

  return {
    async isOnWhatsApp(phones) {
      const digits = phones.map(phoneDigits);
      if (digits.length === 0) return [];
      // One query for all: none of the references splits a contact query into batches.
      const answers = parseOnWhatsApp(await host.query(buildOnWhatsAppQuery([...new Set(digits)], sid())));
      // What the server paired is the client's to know too (whatsapp-rust persists them as well):
      // a later message to the number then goes to the LID's sessions.
      for (const { jid, lid } of answers.values())
        if (jid !== undefined && lid !== undefined) await host.learnLid(lid, jid);
      return phones.map((phone, i) => {
        const answer = answers.get(digits[i]!);
        const result: OnWhatsAppResult = { phone, exists: answer?.exists ?? false };
        if (answer?.jid !== undefined) result.jid = answer.jid;
        if (answer?.lid !== undefined) result.lid = answer.lid;
        return result;
      });
    },
    async getUserInfo(jids) {
      const users = [...new Set(jids.map((jid) => personUser(jid, 'getUserInfo()')))];
      if (users.length === 0) return new Map();
      const withTokens = await Promise.all(users.map(async (jid) => ({ jid, tcToken: await tokenFor(jid) })));
      const info = parseUserInfo(await host.query(buildUserInfoQuery(withTokens, sid())));
      for (const [jid, { lid }] of info)
        if (lid !== undefined && isPnUser(jid)) await host.learnLid(lid, jid);
      return info;
    },
    getProfilePicture: getProfilePicture as ContactsApi['getProfilePicture'],
  };
});
