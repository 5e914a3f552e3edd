/**
 * Routes a client's IQ to the first handler that claims it. Every IQ gets an answer: one that no
 * handler knows is refused with `<error code="501" text="feature-not-implemented"/>`, so a client
 * never waits for a reply that will not come.
 */
import type { BinaryNode } from '@wakit/binary-node';
import { handleAbPropsIq } from './ab-props-iqs';
import { handlePassiveIq, handlePingIq } from './basic-iqs';
import { handleBlocklistIq } from './blocklist-iqs';
import { handleDirtyIq } from './dirty-iqs';
import { handleDisappearingModeIq } from './disappearing-mode-iqs';
import { handleGroupsIq } from './group-iqs';
import type { IqContext, IqHandler } from './iq-context';
import { iqError } from './nodes';
import { handleLinkCodeIq } from './pair-code-iqs';
import { handleEncryptIq } from './prekey-iqs';
import { handlePrivacyIq } from './privacy-iqs';
import { handlePrivacyTokensIq } from './privacy-token-iqs';
import { handleProfilePictureIq } from './profile-picture-iqs';
import { handleSpamIq } from './spam-iqs';
import { handleStatusIq } from './status-iqs';
import { handleUnlinkIq } from './unlink-iqs';
import { handleUsyncIq } from './usync-iqs';

/** The handlers, in the order they are asked. */
export const IQ_HANDLERS: readonly IqHandler[] = [
  handlePingIq,
  handlePassiveIq,
  handleEncryptIq,
  handleLinkCodeIq,
  handleUsyncIq,
  handlePrivacyTokensIq,
  handlePrivacyIq,
  handleBlocklistIq,
  handleDisappearingModeIq,
  handleAbPropsIq,
  handleUnlinkIq,
  handleSpamIq,
  handleDirtyIq,
  handleProfilePictureIq,
  handleStatusIq,
  handleGroupsIq,
];

/** The reply to `node`. */
export async function routeIq(ctx: IqContext, node: BinaryNode): Promise<BinaryNode> {
  for (const handler of IQ_HANDLERS) {
    const reply = await handler(ctx, node);
    if (reply !== undefined) return reply;
  }
  return iqError(node, 501, 'feature-not-implemented');
}
