/**
 * The companion's two pair-code IQs (docs/protocol.md §5.4), `xmlns="md"` with `<link_code_companion_reg>`:
 *
 *   companion_hello   -> remember the wrapped ephemeral for the phone number, answer with a ref;
 *                        the user then types the code on the phone (`phone.enterPairCode`), which
 *                        sends primary_hello
 *   companion_finish  -> open the key bundle, derive the adv secret, answer, then pair-success
 *
 * The pairing starts once the IQ is answered (`ctx.after`), not awaited inside it: it waits for the
 * companion's next stanza, which this connection's receive queue must still be free to deliver, and
 * Baileys waits for the answer to companion_finish before it handles pair-success.
 */

import type { BinaryNode } from '@wakit/binary-node';
import { tryParseJid } from '@wakit/binary-node';
import { equalBytes, fromUtf8, toBase64 } from './_bytes';
import { isPhonePairingError, PhonePairingError } from './errors';
import type { IqContext, IqHandler } from './iq-context';
import { child, contentBytes, iqError, iqResult } from './nodes';
import { openKeyBundle } from './pair-code-crypto';

/** Handles `link_code_companion_reg` IQs on an unpaired connection. */
export const handleLinkCodeIq: IqHandler = (ctx, node) => {
  const reg = child(node, 'link_code_companion_reg');
  if (node.attrs.xmlns !== 'md' || reg === undefined) return undefined;
  if (reg.attrs.stage === 'companion_hello') return companionHello(ctx, node, reg);
  if (reg.attrs.stage === 'companion_finish') return companionFinish(ctx, node, reg);
  return iqError(node, 400, 'bad-request');
};

function companionHello(ctx: IqContext, node: BinaryNode, reg: BinaryNode): BinaryNode {
  const phoneNumber = tryParseJid(reg.attrs.jid ?? '')?.user;
  const wrapped = contentBytes(child(reg, 'link_code_pairing_wrapped_companion_ephemeral_pub'));
  const noiseKey = contentBytes(child(reg, 'companion_server_auth_key_pub'));
  if (phoneNumber === undefined || wrapped?.length !== 80 || noiseKey === undefined)
    return iqError(node, 400, 'bad-request');
  // The companion names its own Noise key; one that is not the connection's is someone else's.
  if (
    ctx.device !== undefined ||
    ctx.target.noiseKey === undefined ||
    !equalBytes(noiseKey, ctx.target.noiseKey)
  ) {
    return iqError(node, 400, 'bad-request');
  }
  if (ctx.state.devices.get(`${phoneNumber}@s.whatsapp.net`) === undefined)
    return iqError(node, 404, 'not-found');
  const platformId = contentBytes(child(reg, 'companion_platform_id'));
  const ref = toBase64(ctx.state.crypto.randomBytes(24));
  ctx.state.pairCodeRequests
    .get(phoneNumber)
    ?.primaryHello?.reject(
      new PhonePairingError('closed', 'a newer pair-code request for the same number replaced this one'),
    );
  ctx.state.pairCodeRequests.set(phoneNumber, {
    target: ctx.target,
    ref,
    wrappedCompanionEphemeral: wrapped,
    platform: platformId === undefined ? undefined : fromUtf8(platformId),
  });
  ctx.state.events.emit('pair-code-request', { connection: ctx.connection, phoneNumber });
  return iqResult(node, [
    {
      tag: 'link_code_companion_reg',
      attrs: {},
      content: [{ tag: 'link_code_pairing_ref', attrs: {}, content: new TextEncoder().encode(ref) }],
    },
  ]);
}

async function companionFinish(ctx: IqContext, node: BinaryNode, reg: BinaryNode): Promise<BinaryNode> {
  const phoneNumber = tryParseJid(reg.attrs.jid ?? '')?.user;
  const request = phoneNumber === undefined ? undefined : ctx.state.pairCodeRequests.get(phoneNumber);
  const ref = contentBytes(child(reg, 'link_code_pairing_ref'));
  const bundle = contentBytes(child(reg, 'link_code_pairing_wrapped_key_bundle'));
  const companionIdentity = contentBytes(child(reg, 'companion_identity_public'));
  const hello = request?.primaryHello;
  if (
    request === undefined ||
    hello === undefined ||
    request.target !== ctx.target ||
    ref === undefined ||
    fromUtf8(ref) !== request.ref ||
    bundle === undefined ||
    companionIdentity?.length !== 32
  ) {
    return iqError(node, 400, 'bad-request');
  }
  ctx.state.pairCodeRequests.delete(phoneNumber!);
  let advSecret: Uint8Array;
  try {
    advSecret = await openKeyBundle({
      crypto: ctx.state.crypto,
      bundle,
      primaryEphemeral: hello.primaryEphemeral,
      companionEphemeral: hello.companionEphemeral,
      primaryIdentity: phoneIdentity(ctx, phoneNumber!),
      companionIdentity,
    });
  } catch (error) {
    hello.reject(
      isPhonePairingError(error)
        ? error
        : new PhonePairingError('key-bundle', String(error), { cause: error }),
    );
    return iqError(node, 400, 'bad-request');
  }
  ctx.after(() => {
    ctx.target
      .pair({ phoneNumber: phoneNumber!, advSecret, companionIdentity, platform: request.platform })
      .then(hello.resolve, hello.reject);
  });
  return iqResult(node);
}

function phoneIdentity(
  ctx: IqContext,
  phoneNumber: string,
): { publicKey: Uint8Array; privateKey: Uint8Array } {
  const identity = ctx.state.phoneIdentities.get(phoneNumber);
  if (identity === undefined) throw new PhonePairingError('no-pair-code-request', `no phone ${phoneNumber}`);
  return identity;
}
