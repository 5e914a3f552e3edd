/**
 * Profile pictures (docs/protocol.md §10.7), sans-IO.
 *
 *   <iq to=s.whatsapp.net type=get xmlns=w:profile:picture target=<jid>>
 *     <picture type=image|preview query=url [id=<known id>]>[<tctoken>bytes</tctoken>]</picture></iq>
 *   -> <picture id url direct_path type [hash]/>     the picture
 *   -> <picture [id] status=304/>, or no url         unchanged since the known id
 *   -> <picture status=204/>, error 404              none
 *   -> error 401                                      hidden by the target's privacy, or blocked
 *
 * whatsmeow (user.go GetProfilePictureInfo) reads 304/204 from a `status` attribute and a missing
 * `<picture>` as unchanged when an id was given; whatsapp-rust (wacore/src/iq/contacts.rs) reads
 * a `<picture>` without id or url as unchanged and an `<error>` inside `<picture>` like the IQ's.
 * The parser accepts all of these.
 */
import { type BinaryNode, getChild } from '@wakit/binary-node';
import { MalformedFeatureReplyError } from '../errors';
import { buildTcTokenNode } from '../tctoken/tctoken-wire';

/** Where to download a profile picture. */
export interface ProfilePicture {
  /** The picture's id: pass it as `id` later to learn whether it changed. */
  id: string;
  url: string;
  directPath?: string | undefined;
  /** `image` (full size) or `preview` (thumbnail), as the server says. */
  type: string;
  /** The server's hash of the image, base64, when given. */
  hash?: string | undefined;
}

/** The picture is still the one with the known `id`. */
export interface UnchangedProfilePicture {
  id: string;
  unchanged: true;
}

/** What a picture query asks. */
export interface ProfilePictureQuery {
  /** The thumbnail instead of the full image. */
  preview?: boolean | undefined;
  /** The id of the picture the caller has: the server answers "unchanged" when it is current. */
  id?: string | undefined;
  /** The target's trusted-contact token. */
  tcToken?: Uint8Array | undefined;
}

/** What a reply says: a picture, unchanged, none, or not authorized (the caller turns that into its error). */
export type ProfilePictureAnswer =
  | ProfilePicture
  | UnchangedProfilePicture
  | undefined
  | { notAuthorized: true; text: string };

/** The query for `jid`'s picture. */
export function buildProfilePictureGet(jid: string, query: ProfilePictureQuery = {}): BinaryNode {
  const attrs: Record<string, string> = { type: query.preview === true ? 'preview' : 'image', query: 'url' };
  if (query.id !== undefined) attrs.id = query.id;
  return {
    tag: 'iq',
    attrs: { to: 's.whatsapp.net', type: 'get', xmlns: 'w:profile:picture', target: jid },
    content: [
      {
        tag: 'picture',
        attrs,
        ...(query.tcToken === undefined ? {} : { content: [buildTcTokenNode(query.tcToken)] }),
      },
    ],
  };
}

/**
 * A reply's answer; `knownId` is the id the query carried.
 *
 * @throws MalformedFeatureReplyError for a reply without a picture when no id was given, a picture
 *   without id or url that is not "unchanged", or an error code other than 204, 401, 404.
 */
export function parseProfilePicture(reply: BinaryNode, knownId?: string): ProfilePictureAnswer {
  const picture = getChild(reply, 'picture');
  if (picture === undefined) {
    if (knownId !== undefined) return { id: knownId, unchanged: true };
    throw new MalformedFeatureReplyError('a profile-picture reply without <picture>');
  }
  const error = getChild(picture, 'error');
  const code = error?.attrs.code ?? picture.attrs.status;
  if (code === '204' || code === '404') return undefined;
  if (code === '401') return { notAuthorized: true, text: error?.attrs.text ?? 'not-authorized' };
  const { id, url } = picture.attrs;
  if (code === '304' || (knownId !== undefined && (id === undefined || url === undefined)))
    return { id: id ?? knownId ?? '', unchanged: true };
  if (code !== undefined && code !== '200')
    throw new MalformedFeatureReplyError(`a profile-picture reply with status ${code}`);
  if (id === undefined || url === undefined)
    throw new MalformedFeatureReplyError('a profile picture without id or url');
  const answer: ProfilePicture = { id, url, type: picture.attrs.type ?? 'image' };
  if (picture.attrs.direct_path !== undefined) answer.directPath = picture.attrs.direct_path;
  if (picture.attrs.hash !== undefined) answer.hash = picture.attrs.hash;
  return answer;
}
