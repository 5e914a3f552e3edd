/**
 * Profile pictures (`w:profile:picture`, docs/protocol.md §10.7; whatsapp-rust wacore/src/iq/contacts.rs,
 * whatsmeow user.go GetProfilePictureInfo, Baileys chats.ts profilePictureUrl/updateProfilePicture):
 *
 *   get : <iq xmlns="w:profile:picture" type="get" target=<user>>
 *           <picture type="image|preview" query="url" [id=<known id>]>[<tctoken/>]</picture></iq>
 *      -> <picture id url direct_path type hash/>           the picture (`url` on this server's HTTP listener)
 *      -> <picture id type status="304"/>                    `id` is the current one: unchanged (whatsmeow
 *                                                            reads status 304, whatsapp-rust an id without url)
 *      -> error 404 item-not-found                           no picture, or no such user
 *      -> error 401 not-authorized                           hidden by the target's `profile` privacy or
 *                                                            because the target blocked the asker
 *   set : <iq xmlns="w:profile:picture" type="set" [target=<own user>]>
 *           <picture type="image">JPEG</picture>[<picture type="preview">JPEG</picture>]</iq>
 *      -> <picture id/>                                      the new id
 *   remove: the same set without a <picture> child -> empty result
 *
 * whatsmeow and whatsapp-rust turn 401 and 404 into "no picture"; Baileys rejects with the error.
 * A get without `target`, with a `type` other than image/preview, or a set whose image is not a
 * JPEG (or whose preview is not) is 400; setting another user's picture is 401. The `<tctoken>` is
 * not checked. A get or set without `<picture>` (other than the remove) is not this handler's.
 *
 * A group `target` (`…@g.us`, whatsapp-rust `SetProfilePictureSpec` with a group, whatsmeow
 * `SetGroupPhoto`): members get and set its picture (others 401, no such group 404), in a `locked`
 * group only admins set or remove it (403, as for the subject); the members are told
 * (group-pictures.ts).
 */
import type { BinaryNode } from '@wakit/binary-node';
import { namespaceOf, resolveAddress } from './addresses';
import { type GroupRecord, isGroupAdmin } from './group-state';
import type { IqContext, IqHandler } from './iq-context';
import { child, children, contentBytes, iqError, iqResult } from './nodes';
import { looksLikeJpeg, pictureHash, type StoredProfilePicture } from './profile-state';
import { profileVisible } from './profile-view';
import type { PictureType } from './profiles';

/** The profile-picture namespace. */
export const PROFILE_PICTURE_XMLNS = 'w:profile:picture';

/** Answers profile-picture gets and sets; `undefined` for anything else. */
export const handleProfilePictureIq: IqHandler = (ctx, node) => {
  if (node.attrs.xmlns !== PROFILE_PICTURE_XMLNS) return undefined;
  if (node.attrs.type === 'get') return child(node, 'picture') === undefined ? undefined : get(ctx, node);
  if (node.attrs.type === 'set') return set(ctx, node);
  return undefined;
};

function get(ctx: IqContext, node: BinaryNode): BinaryNode {
  const device = ctx.device;
  if (device === undefined) return iqError(node, 401, 'not-authorized');
  const request = child(node, 'picture')!;
  const type = request.attrs.type;
  const target = node.attrs.target;
  if ((type !== 'image' && type !== 'preview') || target === undefined)
    return iqError(node, 400, 'bad-request');
  let picture: StoredProfilePicture | undefined;
  if (target.endsWith('@g.us')) {
    const group = ctx.state.groups.find(target);
    if (group === undefined) return iqError(node, 404, 'item-not-found');
    if (!group.members.has(device.phoneNumber)) return iqError(node, 401, 'not-authorized');
    picture = group.picture;
  } else {
    if (namespaceOf(target) === undefined) return iqError(node, 400, 'bad-request');
    const owner = resolveAddress(ctx.state, target)?.account.phoneNumber;
    if (owner === undefined) return iqError(node, 404, 'item-not-found');
    if (!profileVisible(ctx.state, owner, device.phoneNumber, 'profile'))
      return iqError(node, 401, 'not-authorized');
    picture = ctx.state.profiles.picture(owner);
  }
  if (picture === undefined) return iqError(node, 404, 'item-not-found');
  if (request.attrs.id === picture.id) {
    return iqResult(node, [{ tag: 'picture', attrs: { id: picture.id, type, status: '304' } }]);
  }
  const { url, directPath } = ctx.state.profiles.locate(picture, type as PictureType);
  const bytes = type === 'image' ? picture.image : picture.preview;
  return iqResult(node, [
    {
      tag: 'picture',
      attrs: { id: picture.id, url, direct_path: directPath, type, hash: pictureHash(bytes) },
    },
  ]);
}

function set(ctx: IqContext, node: BinaryNode): BinaryNode | undefined {
  const pictures = children(node, 'picture');
  // Anything but <picture> children (or none: the remove) is some other shape.
  if (children(node).length !== pictures.length) return undefined;
  const device = ctx.device;
  if (device === undefined) return iqError(node, 401, 'not-authorized');
  const target = node.attrs.target;
  let group: GroupRecord | undefined;
  if (target?.endsWith('@g.us')) {
    group = ctx.state.groups.find(target);
    if (group === undefined) return iqError(node, 404, 'item-not-found');
    if (!group.members.has(device.phoneNumber)) return iqError(node, 401, 'not-authorized');
    // The picture is group info: in a locked group only admins change it (as the subject).
    if (group.locked && !isGroupAdmin(group, device.phoneNumber)) return iqError(node, 403, 'forbidden');
  } else if (target !== undefined) {
    if (resolveAddress(ctx.state, target)?.account.phoneNumber !== device.phoneNumber) {
      return iqError(node, 401, 'not-authorized');
    }
  }
  if (pictures.length === 0) {
    if (group !== undefined) ctx.state.profiles.removeGroupPictureBy(device, group);
    else ctx.state.profiles.removePictureBy(device);
    return iqResult(node);
  }
  const image = pictures.filter((p) => p.attrs.type === 'image');
  const preview = pictures.filter((p) => p.attrs.type === 'preview');
  if (image.length !== 1 || preview.length > 1 || image.length + preview.length !== pictures.length) {
    return iqError(node, 400, 'bad-request');
  }
  const imageBytes = contentBytes(image[0]);
  const previewBytes = preview.length === 0 ? imageBytes : contentBytes(preview[0]);
  if (!looksLikeJpeg(imageBytes) || !looksLikeJpeg(previewBytes)) return iqError(node, 400, 'bad-request');
  const picture =
    group === undefined
      ? ctx.state.profiles.setPictureBy(device, imageBytes, previewBytes)
      : ctx.state.profiles.setGroupPictureBy(device, group, imageBytes, previewBytes);
  return iqResult(node, [{ tag: 'picture', attrs: { id: picture.id } }]);
}
