/**
 * Changing and serving what accounts show of themselves (profile-state.ts): the one place that
 * sets or removes a picture or the status text, for the IQs (profile-picture-iqs.ts,
 * status-iqs.ts) and for tests (`server.profiles`), and the lookup the HTTP listener serves
 * pictures from.
 *
 * A picture change is told to the account's other devices (the phone included, when a companion
 * made it) through the outbox, in the shape whatsmeow, whatsapp-rust and Baileys parse
 * (docs/protocol.md §10.14; whatsapp-rust src/handlers/notification/profile.rs after WA Web's
 * WAWebHandleProfilePicNotification):
 *
 *   <notification from=<own user, PN> type="picture" id t><set jid=<own user, PN> id=<picture id>/></notification>
 *   <notification from=<own user, PN> type="picture" id t><delete jid=<own user, PN>/></notification>
 *
 * Other accounts are not told: on WhatsApp the contacts who see the picture are, but every account
 * would count as a contact here (presence-view.ts), and they learn of a change the next time they
 * ask (their known `id` no longer matches). A status text change is told to nobody: the references
 * only handle `<notification type="status">` for contacts' changes. A group's picture is kept on
 * the group and told to its members (group-pictures.ts); ids come from the same counter.
 */

import { notifyOtherDevices } from './account-sync';
import { userOf } from './addresses';
import { tellGroupPicture } from './group-pictures';
import type { GroupRecord } from './group-state';
import { unixSeconds } from './nodes';
import type { AboutText, StoredProfilePicture } from './profile-state';
import { type DeviceRecord, deviceJid, type ServerState } from './server-state';

/** Which of a picture's two renditions. */
export type PictureType = 'image' | 'preview';

/** Where a client downloads a picture: `url` is `origin + directPath`. */
export interface PictureLocation {
  readonly url: string;
  readonly directPath: string;
}

/** The longest status text accepted, in characters (WhatsApp's "about" limit). */
export const ABOUT_MAX_LENGTH = 139;

/** Profiles of one server's accounts. */
export class Profiles {
  readonly #state: ServerState;
  /** Current pictures by id: what the HTTP listener serves. */
  readonly #served = new Map<string, StoredProfilePicture>();
  #lastPictureId = 0;
  /**
   * `http://host:port` of the server's HTTP listener, the origin of picture URLs; set by
   * `startServer` once it listens.
   */
  origin = 'http://127.0.0.1';

  /** @internal Built with the server state. */
  constructor(state: ServerState) {
    this.#state = state;
  }

  /**
   * Sets the picture of `phoneNumber`'s account as its phone would (its companions are told).
   * `preview` defaults to `image`: the server does not resize images.
   *
   * @throws RangeError when no phone has that number.
   */
  setPicture(phoneNumber: string, image: Uint8Array, preview?: Uint8Array): StoredProfilePicture {
    return this.setPictureBy(this.#phone(phoneNumber), image, preview);
  }

  /** Removes the picture of `phoneNumber`'s account as its phone would; false when it had none. */
  removePicture(phoneNumber: string): boolean {
    return this.removePictureBy(this.#phone(phoneNumber));
  }

  /** The current picture of `phoneNumber`'s account. */
  picture(phoneNumber: string): StoredProfilePicture | undefined {
    return this.#state.accounts.get(phoneNumber).profile.picture;
  }

  /** Sets the status text of `phoneNumber`'s account. */
  setAbout(phoneNumber: string, text: string): AboutText {
    return this.setAboutBy(this.#phone(phoneNumber), text);
  }

  /** The status text of `phoneNumber`'s account, if one was set. */
  about(phoneNumber: string): AboutText | undefined {
    return this.#state.accounts.get(phoneNumber).profile.about;
  }

  /** @internal `actor` set its account's picture; the other devices are told. */
  setPictureBy(actor: DeviceRecord, image: Uint8Array, preview: Uint8Array = image): StoredProfilePicture {
    const profile = this.#state.accounts.get(actor.phoneNumber).profile;
    const picture = this.#replace(profile.picture, image, preview);
    profile.picture = picture;
    const own = userOf(actor, 'pn');
    notifyOtherDevices(this.#state, actor, 'picture', [{ tag: 'set', attrs: { jid: own, id: picture.id } }]);
    return picture;
  }

  /** @internal `actor` removed its account's picture; false (and nobody told) when there was none. */
  removePictureBy(actor: DeviceRecord): boolean {
    const profile = this.#state.accounts.get(actor.phoneNumber).profile;
    if (profile.picture === undefined) return false;
    this.#served.delete(profile.picture.id);
    profile.picture = undefined;
    notifyOtherDevices(this.#state, actor, 'picture', [
      { tag: 'delete', attrs: { jid: userOf(actor, 'pn') } },
    ]);
    return true;
  }

  /**
   * @internal `actor` (a member; the IQ checks who may) set `group`'s picture; every member device
   * is told (group-pictures.ts).
   */
  setGroupPictureBy(
    actor: DeviceRecord,
    group: GroupRecord,
    image: Uint8Array,
    preview: Uint8Array = image,
  ): StoredProfilePicture {
    const picture = this.#replace(group.picture, image, preview);
    group.picture = picture;
    tellGroupPicture(this.#state, group, actor, { tag: 'set', attrs: { jid: group.jid, id: picture.id } });
    return picture;
  }

  /** @internal `actor` removed `group`'s picture; false (and nobody told) when it had none. */
  removeGroupPictureBy(actor: DeviceRecord, group: GroupRecord): boolean {
    if (group.picture === undefined) return false;
    this.#served.delete(group.picture.id);
    group.picture = undefined;
    tellGroupPicture(this.#state, group, actor, { tag: 'delete', attrs: { jid: group.jid } });
    return true;
  }

  /**
   * @internal `actor` set its account's status text.
   *
   * @throws RangeError for a text longer than ABOUT_MAX_LENGTH characters.
   */
  setAboutBy(actor: DeviceRecord, text: string): AboutText {
    if ([...text].length > ABOUT_MAX_LENGTH) {
      throw new RangeError(
        `status text expected at most ${ABOUT_MAX_LENGTH} characters, got ${[...text].length}`,
      );
    }
    const about: AboutText = { text, t: unixSeconds(this.#state.options.now()) };
    this.#state.accounts.get(actor.phoneNumber).profile.about = about;
    return about;
  }

  /** Where `picture`'s `type` rendition is served. */
  locate(picture: StoredProfilePicture, type: PictureType): PictureLocation {
    const directPath = `/pp/${picture.id}/${type}.jpg`;
    return { url: `${this.origin}${directPath}`, directPath };
  }

  /**
   * The bytes the HTTP listener serves for `path` (a `directPath`, with or without a query);
   * undefined when it names no current picture (replaced and removed pictures are gone).
   */
  serve(path: string): Uint8Array | undefined {
    const match = /^\/pp\/(\d+)\/(image|preview)\.jpg(?:\?.*)?$/.exec(path);
    const picture = match === null ? undefined : this.#served.get(match[1]!);
    if (picture === undefined) return undefined;
    return match![2] === 'image' ? picture.image : picture.preview;
  }

  /** A new picture with the next id, served in place of `previous`. */
  #replace(
    previous: StoredProfilePicture | undefined,
    image: Uint8Array,
    preview: Uint8Array,
  ): StoredProfilePicture {
    if (previous !== undefined) this.#served.delete(previous.id);
    this.#lastPictureId += 1;
    const picture: StoredProfilePicture = {
      id: String(this.#lastPictureId),
      image,
      preview,
      t: unixSeconds(this.#state.options.now()),
    };
    this.#served.set(picture.id, picture);
    return picture;
  }

  #phone(phoneNumber: string): DeviceRecord {
    const record = this.#state.devices.get(deviceJid(phoneNumber, 0));
    if (record === undefined) throw new RangeError(`no phone ${phoneNumber}`);
    return record;
  }
}
