/**
 * Changes to the paired account's own fields (its push name) made after pairing, by modules. The
 * credentials live in memory (`ctx.credentials`) and in the store; the client's own writers (the
 * prekey refill, retry receipts) read them, await key generation and save what they read, under
 * the Signal lock. Taking the same lock here keeps either write from undoing the other.
 */
import { NoCredentialsError } from '../errors';
import type { PairedAccount } from '../store/store';
import type { ClientContext } from './context';

/** The account fields a module may change. */
export interface AccountPatch {
  /** The name shown to contacts (sent in `<presence name>` and the next ClientPayload). */
  pushName?: string;
}

/**
 * Applies `patch` to the stored account and to the client's copy; resolves with the new account.
 *
 * @throws NoCredentialsError when the device is not paired (no account to change).
 */
export function updateAccount(ctx: ClientContext, patch: AccountPatch): Promise<PairedAccount> {
  return ctx.signalLock.run(async () => {
    // Before the first connect the client holds no copy yet: the store's is the current one.
    const credentials = ctx.credentials ?? (await ctx.store.loadCredentials());
    if (credentials?.account === undefined) {
      throw new NoCredentialsError('the device is not paired: there is no account to update');
    }
    const account = { ...credentials.account, ...patch };
    const updated = { ...credentials, account };
    await ctx.store.saveCredentials(updated);
    if (ctx.credentials !== undefined) ctx.credentials = updated;
    return account;
  });
}
