/**
 * Linking this device to a phone: the QR codes of `<pair-device>`, the phone-number code
 * (`requestPairingCode`, then the phone's `primary_hello`), and `<pair-success>`, after which the
 * server sends 515 and the client reconnects to log in.
 */
import { type BinaryNode, getChild } from '@wakit/binary-node';
import { companionPlatformId, DEFAULT_BROWSER } from '../auth/companion-platform';
import { handlePrimaryHello, parseCompanionHelloResult, startPairCode } from '../auth/pair-code';
import { handlePairDevice } from '../auth/pair-qr';
import { handlePairSuccess } from '../auth/pair-success';
import type { NoiseConnection } from '../connection/noise-connection';
import { QrRotation } from '../connection/qr-rotation';
import { NotConnectedError, PairingTimeoutError } from '../errors';
import { type ClientContext, requireCredentials } from './context';
import { query } from './send';
import { background } from './tasks';

/**
 * Asks for an 8-character pairing code for `phoneNumber` (digits, international format without
 * `+`), to be entered on the phone. Needs an open, unpaired socket (state `pairing`). Stops the
 * QR rotation: the user chose code linking.
 *
 * @throws NotConnectedError when not in the pairing state.
 */
export async function requestPairingCode(ctx: ClientContext, phoneNumber: string): Promise<string> {
  const credentials = ctx.credentials;
  if (ctx.lifecycle.state !== 'pairing' || credentials === undefined) {
    throw new NotConnectedError('requestPairingCode() needs an open socket of an unpaired device');
  }
  const browser = ctx.payloadOptions.browser ?? DEFAULT_BROWSER;
  const { code, iq, state } = await startPairCode(credentials, phoneNumber, ctx.crypto, { browser });
  ctx.pairCode = parseCompanionHelloResult(await query(ctx, iq), state);
  ctx.qr?.stop();
  ctx.events.emit('pair-code', { code });
  return code;
}

/** `<iq><pair-device>`: acks it and starts showing its QR codes in turn. */
export async function onPairDevice(
  ctx: ClientContext,
  connection: NoiseConnection,
  node: BinaryNode,
): Promise<void> {
  const credentials = requireCredentials(ctx);
  const platform = companionPlatformId(ctx.payloadOptions.browser ?? DEFAULT_BROWSER);
  const { ack, qrs } = handlePairDevice(node, credentials, platform);
  await connection.send(ack);
  // Closed meanwhile (the user disconnected): a rotation started now would outlive the connection.
  if (connection.closed) return;
  ctx.qr?.stop();
  ctx.qr = new QrRotation(ctx.timers, qrs, ctx.qrFirstMs, ctx.qrNextMs, {
    onQr: (qr, index, count, timeoutMs) => ctx.events.emit('qr', { qr, index, count, timeoutMs }),
    onExhausted: () => {
      const error = new PairingTimeoutError(`all ${qrs.length} QR codes expired unscanned`);
      ctx.events.emit('pairing-failed', { error });
      connection.close({ reason: 'pairing-failed', action: 'stop', error });
    },
  });
  ctx.qr.start();
}

/** `<iq><pair-success>`: verifies it, saves the paired credentials, then signs the reply. */
export async function onPairSuccess(
  ctx: ClientContext,
  connection: NoiseConnection,
  node: BinaryNode,
): Promise<void> {
  ctx.qr?.stop();
  let result: Awaited<ReturnType<typeof handlePairSuccess>>;
  try {
    result = await handlePairSuccess(node, requireCredentials(ctx), ctx.crypto);
  } catch (error) {
    const reply = (error as { reply?: BinaryNode }).reply;
    if (reply !== undefined) background(ctx, 'refusing a pair-success', () => connection.send(reply));
    ctx.events.emit('pairing-failed', { error });
    return;
  }
  // Saved before the reply goes out: once the server has our signature it considers us paired,
  // and a crash in between must not leave a paired account with unpaired credentials.
  await ctx.store.saveCredentials(result.credentials);
  ctx.credentials = result.credentials;
  await connection.send(result.reply);
  ctx.pairCode = undefined;
  ctx.events.emit('paired', { account: result.credentials.account! });
}

/**
 * `<notification type="link_code_companion_reg">`: at stage `primary_hello` (the phone took the
 * code), derives the ADV secret and answers, when this client asked for a code.
 */
export async function onLinkCodeNotification(
  ctx: ClientContext,
  connection: NoiseConnection,
  node: BinaryNode,
): Promise<void> {
  const stage = getChild(node, 'link_code_companion_reg')?.attrs.stage;
  const state = ctx.pairCode;
  if (stage !== 'primary_hello' || state === undefined) return;
  const { iq, credentials } = await handlePrimaryHello(node, state, requireCredentials(ctx), ctx.crypto);
  // The new ADV secret must be durable before the primary can answer with pair-success.
  await ctx.store.saveCredentials(credentials);
  ctx.credentials = credentials;
  if (ctx.connection === connection) background(ctx, 'finishing pair-code linking', () => query(ctx, iq));
}
