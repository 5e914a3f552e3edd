/**
 * The account's signed key-index list (`<key-index-list ts>` in usync `devices` answers and device
 * notifications, docs/protocol.md §6.8): ADVSignedKeyIndexList{details: ADVKeyIndexList{rawId,
 * timestamp, currentIndex, validIndexes, accountType E2EE}, accountSignature, accountSignatureKey}.
 * The signature is XEdDSA by the phone's identity key over `06 02 || details` (WA Web
 * `ADV_PREFIX_KEY_INDEX_LIST_ACCOUNT_SIGNATURE`, as WA Web checks it; Baileys and whatsmeow ignore
 * the bytes, whatsapp-rust decodes them unverified and drops devices whose index is neither valid
 * nor newer than `currentIndex`). So the list is real, not empty bytes: a client that checks it
 * sees exactly the linked companions.
 *
 * It is signed again only when the account's companions change; `ts` is the time of that change.
 */
import {
  ADVEncryptionType,
  ADVKeyIndexListSchema,
  ADVSignedKeyIndexListSchema,
  create,
  toBinary,
} from '@wakit/proto';
import { concatBytes } from './_bytes';
import type { ServerState } from './server-state';

/** `WAWebAdvSignatureConstants.ADV_PREFIX_KEY_INDEX_LIST_ACCOUNT_SIGNATURE`. */
export const ADV_KEY_INDEX_LIST_SIGNATURE_PREFIX = Uint8Array.of(6, 2);

/** A signed list and the unix time (seconds) it was made. */
export interface SignedKeyIndexList {
  readonly ts: number;
  /** Encoded ADVSignedKeyIndexList; empty when the account has no identity key (no phone). */
  readonly bytes: Uint8Array;
}

/** The current signed key-index list of `phoneNumber`'s account. */
export function keyIndexList(state: ServerState, phoneNumber: string): Promise<SignedKeyIndexList> {
  let highest = 0;
  const valid: number[] = [];
  for (const record of state.devices.values()) {
    if (record.phoneNumber !== phoneNumber || record.device === 0) continue;
    highest = Math.max(highest, record.device);
    if (!record.removed) valid.push(record.device);
  }
  valid.sort((a, b) => a - b);
  const key = `${highest}/${valid.join(',')}`;
  const account = state.accounts.get(phoneNumber);
  if (account.keyIndexList?.key === key) return account.keyIndexList.list;
  const list = sign(state, phoneNumber, highest, valid);
  account.keyIndexList = { key, list };
  return list;
}

async function sign(
  state: ServerState,
  phoneNumber: string,
  currentIndex: number,
  validIndexes: number[],
): Promise<SignedKeyIndexList> {
  const ts = Math.floor(state.options.now() / 1000);
  const account = state.phoneIdentities.get(phoneNumber);
  if (account === undefined) return { ts, bytes: new Uint8Array(0) };
  const details = toBinary(
    ADVKeyIndexListSchema,
    create(ADVKeyIndexListSchema, {
      rawId: state.accounts.get(phoneNumber).rawId,
      timestamp: BigInt(ts),
      currentIndex,
      validIndexes,
      accountType: ADVEncryptionType.E2EE,
    }),
  );
  const accountSignature = await state.crypto.sign(
    account.privateKey,
    concatBytes(ADV_KEY_INDEX_LIST_SIGNATURE_PREFIX, details),
  );
  const bytes = toBinary(
    ADVSignedKeyIndexListSchema,
    create(ADVSignedKeyIndexListSchema, {
      details,
      accountSignature,
      accountSignatureKey: account.publicKey,
    }),
  );
  return { ts, bytes };
}
