/**
 * What an account shows others of itself besides presence (docs/protocol.md §10.6, §10.7): its
 * profile picture and its status text ("about"). One per account, shared by its devices, kept on
 * the account record. Pictures get ids from one counter per server, so an account's ids increase
 * with every change (clients compare ids to know they hold the current one) and an id names one
 * picture server-wide, which is what the HTTP listener serves them by.
 */
import { createHash } from 'node:crypto';
import { toBase64 } from './_bytes';

/** A profile picture the server keeps and serves: the full image and its preview, both JPEG. */
export interface StoredProfilePicture {
  /** Decimal, increasing with every change on the server (whatsapp-rust parses it as a u64). */
  readonly id: string;
  readonly image: Uint8Array;
  /** The `preview` a client may ask for instead of the full `image`; the image itself unless one was given. */
  readonly preview: Uint8Array;
  /** When it was set (unix seconds). */
  readonly t: string;
}

/** The status text ("about") and when it was set (unix seconds). */
export interface AboutText {
  readonly text: string;
  readonly t: string;
}

/** One account's picture and status text; both unset for a new account. */
export class AccountProfile {
  picture: StoredProfilePicture | undefined;
  about: AboutText | undefined;
}

/** The `hash` attribute of a picture answer: SHA-256 of the bytes served, standard base64. */
export function pictureHash(bytes: Uint8Array): string {
  return toBase64(new Uint8Array(createHash('sha256').update(bytes).digest()));
}

/** True for bytes that start like a JPEG file (SOI marker `FF D8` and a segment marker `FF`). */
export function looksLikeJpeg(bytes: Uint8Array | undefined): bytes is Uint8Array {
  return (
    bytes !== undefined && bytes.length >= 4 && bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff
  );
}
