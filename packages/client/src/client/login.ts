/**
 * After `<success>`: the account is logged in. Keeps the server's stock of one-time prekeys
 * filled (at login and on `encrypt` notifications), then leaves passive mode.
 */
import { type BinaryNode, getChild } from '@wakit/binary-node';
import { setActive, unifiedSession } from '../_stanzas';
import {
  buildDigestQuery,
  checkKeyBundle,
  type KeyBundleCheck,
  parseDigest,
} from '../auth/key-bundle-digest';
import {
  buildPreKeyCountQuery,
  buildPreKeyUpload,
  generatePreKeys,
  INITIAL_PREKEY_COUNT,
  MIN_PREKEY_COUNT,
  parsePreKeyCount,
} from '../auth/prekeys';
import type { NoiseConnection } from '../connection/noise-connection';
import { IqError, NotConnectedError } from '../errors';
import { type ClientContext, isLoggedIn, requireCredentials } from './context';
import { runHooks } from './module-host';
import { query } from './send';
import { background } from './tasks';

/** `<success>`: logged in; resets the backoff and runs the post-login steps in the background. */
export function onSuccess(ctx: ClientContext, connection: NoiseConnection, node: BinaryNode): void {
  ctx.failures = 0;
  rememberServerTime(ctx, node.attrs.t);
  ctx.lifecycle.fire('success');
  ctx.events.emit('connected', { node });
  background(ctx, 'post-login setup', () => afterLogin(ctx, connection, node));
  runHooks(ctx, ctx.hooks.login, 'a login hook', { node });
}

/**
 * docs/protocol.md §12 step 7: remember the own LID, prekeys, leave passive mode, the unified session,
 * check the key bundle.
 */
async function afterLogin(
  ctx: ClientContext,
  connection: NoiseConnection,
  success: BinaryNode,
): Promise<void> {
  await rememberLid(ctx, success.attrs.lid);
  const count = parsePreKeyCount(await query(ctx, buildPreKeyCountQuery()));
  await refillPreKeys(ctx, count);
  if (ctx.connection !== connection) return;
  await query(ctx, setActive());
  await connection.send(unifiedSession(ctx.timers.now() + ctx.serverTimeOffsetMs));
  await checkKeyBundleAfterLogin(ctx);
}

/** docs/protocol.md §10.13: `<success t>` is the server's clock in Unix seconds; keep how far ours is off. */
function rememberServerTime(ctx: ClientContext, t: string | undefined): void {
  const seconds = Number(t);
  if (t === undefined || !Number.isSafeInteger(seconds) || seconds <= 0) return;
  ctx.serverTimeOffsetMs = seconds * 1000 - ctx.timers.now();
}

/**
 * After login, the digest check of `checkServerKeyBundle`; IQ errors other than 404 (406, 503) are
 * logged and skipped: a later login checks again.
 */
async function checkKeyBundleAfterLogin(ctx: ClientContext): Promise<void> {
  try {
    await checkServerKeyBundle(ctx);
  } catch (error) {
    if (!(error instanceof IqError)) throw error;
    ctx.logger.warn?.('the key bundle digest check was refused; skipped until the next login', { error });
  }
}

/**
 * docs/protocol.md §6.5: asks the server for the digest of our key bundle and checks it. A 404 means the
 * server holds no bundle: upload a fresh one. Any other difference is reported and left alone, as
 * WhatsApp Web does (whatsapp-rust `validate_digest_key`): re-uploading would add prekeys, not remove
 * the ones we lack. Run after each login, and on demand by modules (`ModuleHost.checkKeyBundle`).
 *
 * @throws IqError for any refusal but 404.
 */
export async function checkServerKeyBundle(ctx: ClientContext): Promise<KeyBundleCheck> {
  let result: BinaryNode;
  try {
    result = await query(ctx, buildDigestQuery());
  } catch (error) {
    if (!(error instanceof IqError) || error.errorCode !== 404) throw error;
    ctx.events.emit('key-bundle-checked', { matches: false, problem: 'absent' });
    await refillPreKeys(ctx, 0);
    return { status: 'reuploaded', problem: 'absent' };
  }
  const problem = await checkKeyBundle(parseDigest(result), requireCredentials(ctx), (id) =>
    ctx.store.loadPreKey(id),
  );
  if (problem !== undefined) ctx.logger.warn?.(`the server's key bundle differs from ours: ${problem}`);
  ctx.events.emit('key-bundle-checked', { matches: problem === undefined, problem });
  return problem === undefined ? { status: 'ok' } : { status: 'mismatch', problem };
}

/**
 * docs/protocol.md §10.13: `<success lid>` is the device's own LID (`user:device@lid`); the references
 * store it (whatsmeow `handleConnectSuccess`). Saved before the prekey refill, which also writes
 * the credentials, so the two writes never race.
 */
async function rememberLid(ctx: ClientContext, lid: string | undefined): Promise<void> {
  const credentials = requireCredentials(ctx);
  const account = credentials.account;
  if (lid === undefined || !lid.endsWith('@lid') || account === undefined || account.lid === lid) return;
  const updated = { ...credentials, account: { ...account, lid } };
  await ctx.store.saveCredentials(updated);
  ctx.credentials = updated;
}

/**
 * `<notification type="encrypt">` with a `<count>`: the server's prekey stock ran low. A count that
 * is not a non-negative integer is reported (AttrsError on the `error` event), never acted on: the
 * fuzzer found that `Number.parseInt` let "n/a" through as NaN, and a refill of NaN keys threw a
 * RangeError instead.
 */
export function onEncryptNotification(ctx: ClientContext, node: BinaryNode): void {
  if (getChild(node, 'count') === undefined || !isLoggedIn(ctx)) return;
  background(ctx, 'refilling prekeys', async () => refillPreKeys(ctx, parsePreKeyCount(node)));
}

/**
 * Uploads prekeys when the server holds fewer than MIN_PREKEY_COUNT: the full initial batch of
 * 812 on first login (count 0), else a top-up to 812 (whatsapp-rust; the references disagree on
 * the refill size, docs/protocol.md §6.5). One upload at a time.
 */
async function refillPreKeys(ctx: ClientContext, serverCount: number): Promise<void> {
  if (serverCount >= MIN_PREKEY_COUNT) return;
  if (ctx.preKeyUpload !== undefined) return ctx.preKeyUpload;
  const upload = (async () => {
    const wanted = INITIAL_PREKEY_COUNT - serverCount;
    // Under the Signal lock: a retry receipt's one-time prekey also advances `nextPreKeyId`.
    const { preKeys, credentials } = await ctx.signalLock.run(async () => {
      const generated = await generatePreKeys(requireCredentials(ctx), wanted, ctx.crypto);
      // Logged out or disconnected while generating: keys stored now would never be uploaded.
      if (!isLoggedIn(ctx)) throw new NotConnectedError('the connection closed while prekeys were generated');
      // Stored before the upload: the server may hand a key out the moment it has it.
      await ctx.store.storePreKeys(generated.preKeys);
      await ctx.store.saveCredentials(generated.credentials);
      ctx.credentials = generated.credentials;
      return generated;
    });
    await query(ctx, buildPreKeyUpload(credentials, preKeys));
    ctx.events.emit('prekeys-uploaded', { count: preKeys.length });
  })();
  ctx.preKeyUpload = upload;
  try {
    await upload;
  } finally {
    ctx.preKeyUpload = undefined;
  }
}
