/**
 * A group's picture (docs/protocol.md §10.7; whatsapp-rust `SetProfilePictureSpec` with a group
 * target, whatsmeow `SetGroupPhoto`):
 *
 *   set   : <iq to="s.whatsapp.net" type="set" xmlns="w:profile:picture" target=<group>>
 *             <picture type="image">JPEG</picture></iq>  ->  <picture id=<new id>/>
 *   remove: the same without <picture>                   ->  empty result
 *
 * Only the image is sent, as both references do: the server makes the preview. Reading a group's
 * picture is `contacts.getProfilePicture(group)`.
 */
import { type BinaryNode, getChild } from '@wakit/binary-node';
import { MalformedFeatureReplyError } from '../errors';

/** The set (with `jpeg`) or remove (without) of `group`'s picture. */
export function buildGroupPictureSet(group: string, jpeg: Uint8Array | undefined): BinaryNode {
  return {
    tag: 'iq',
    attrs: { to: 's.whatsapp.net', type: 'set', xmlns: 'w:profile:picture', target: group },
    ...(jpeg === undefined ? {} : { content: [{ tag: 'picture', attrs: { type: 'image' }, content: jpeg }] }),
  };
}

/**
 * The new picture's id from a set's reply.
 *
 * @throws MalformedFeatureReplyError when the reply names no id.
 */
export function parseGroupPictureId(reply: BinaryNode): string {
  const id = getChild(reply, 'picture')?.attrs.id;
  if (id === undefined || id === '')
    throw new MalformedFeatureReplyError('a picture set reply without <picture id>');
  return id;
}
