/**
 * `DeviceCredentials` <-> the one row of the `credentials` table (schema in `migrations.ts`). Each
 * field has its own column, so the stored form is readable with any SQLite tool and never depends
 * on a serialiser's idea of `Uint8Array`:
 *
 * | field                               | column(s)                                              |
 * | ----------------------------------- | ------------------------------------------------------ |
 * | noiseKey                            | noise_public, noise_private (BLOB)                     |
 * | identityKey                         | identity_public, identity_private (BLOB)               |
 * | registrationId                      | registration_id (INTEGER)                              |
 * | signedPreKey.keyId/keyPair/signature| signed_pre_key_id, _public, _private, _signature       |
 * | advSecretKey                        | adv_secret_key (BLOB)                                  |
 * | nextPreKeyId                        | next_pre_key_id (INTEGER)                              |
 * | account.jid/lid/platform/...        | account_jid, account_lid, account_platform,            |
 * |                                     | account_business_name, account_push_name (TEXT, NULL = absent) |
 * | account.signedDeviceIdentity        | account_signed_device_identity (BLOB)                  |
 * | account.accountSignatureKey         | account_signature_key (BLOB)                           |
 * | account.keyIndex                    | account_key_index (INTEGER)                            |
 * | routingInfo                         | routing_info (BLOB, NULL = absent)                     |
 *
 * Reading validates every column's type: a row that does not decode throws `StoreCorruptError`
 * rather than handing the client a wrong key.
 */
import { StoreCorruptError } from '../errors';
import type { DeviceCredentials, PairedAccount } from '../store/store';
import { fromBlob } from './blob';

/** The row as bound to the insert statement and as read back (before validation). */
export interface CredentialsRow {
  noise_public: unknown;
  noise_private: unknown;
  identity_public: unknown;
  identity_private: unknown;
  registration_id: unknown;
  signed_pre_key_id: unknown;
  signed_pre_key_public: unknown;
  signed_pre_key_private: unknown;
  signed_pre_key_signature: unknown;
  adv_secret_key: unknown;
  next_pre_key_id: unknown;
  account_jid: unknown;
  account_lid: unknown;
  account_platform: unknown;
  account_business_name: unknown;
  account_push_name: unknown;
  account_signed_device_identity: unknown;
  account_signature_key: unknown;
  account_key_index: unknown;
  routing_info: unknown;
}

/** The columns in schema order, for building the statements. */
export const CREDENTIALS_COLUMNS = [
  'noise_public',
  'noise_private',
  'identity_public',
  'identity_private',
  'registration_id',
  'signed_pre_key_id',
  'signed_pre_key_public',
  'signed_pre_key_private',
  'signed_pre_key_signature',
  'adv_secret_key',
  'next_pre_key_id',
  'account_jid',
  'account_lid',
  'account_platform',
  'account_business_name',
  'account_push_name',
  'account_signed_device_identity',
  'account_signature_key',
  'account_key_index',
  'routing_info',
] as const satisfies readonly (keyof CredentialsRow)[];

/**
 * The row for `credentials`. Values are checked first so a malformed object fails with a
 * `TypeError` naming the field instead of storing something unreadable.
 */
export function credentialsToRow(credentials: DeviceCredentials): CredentialsRow {
  const { account, routingInfo } = credentials;
  return {
    noise_public: bytesIn('noiseKey.publicKey', credentials.noiseKey.publicKey),
    noise_private: bytesIn('noiseKey.privateKey', credentials.noiseKey.privateKey),
    identity_public: bytesIn('identityKey.publicKey', credentials.identityKey.publicKey),
    identity_private: bytesIn('identityKey.privateKey', credentials.identityKey.privateKey),
    registration_id: integerIn('registrationId', credentials.registrationId),
    signed_pre_key_id: integerIn('signedPreKey.keyId', credentials.signedPreKey.keyId),
    signed_pre_key_public: bytesIn(
      'signedPreKey.keyPair.publicKey',
      credentials.signedPreKey.keyPair.publicKey,
    ),
    signed_pre_key_private: bytesIn(
      'signedPreKey.keyPair.privateKey',
      credentials.signedPreKey.keyPair.privateKey,
    ),
    signed_pre_key_signature: bytesIn('signedPreKey.signature', credentials.signedPreKey.signature),
    adv_secret_key: bytesIn('advSecretKey', credentials.advSecretKey),
    next_pre_key_id: integerIn('nextPreKeyId', credentials.nextPreKeyId),
    account_jid: account ? textIn('account.jid', account.jid) : null,
    account_lid: optionalTextIn('account.lid', account?.lid),
    account_platform: optionalTextIn('account.platform', account?.platform),
    account_business_name: optionalTextIn('account.businessName', account?.businessName),
    account_push_name: optionalTextIn('account.pushName', account?.pushName),
    account_signed_device_identity: account
      ? bytesIn('account.signedDeviceIdentity', account.signedDeviceIdentity)
      : null,
    account_signature_key: account
      ? bytesIn('account.accountSignatureKey', account.accountSignatureKey)
      : null,
    account_key_index: account ? integerIn('account.keyIndex', account.keyIndex) : null,
    routing_info: routingInfo === undefined ? null : bytesIn('routingInfo', routingInfo),
  };
}

/**
 * The credentials in `row`, every byte array a fresh copy.
 * @throws StoreCorruptError when a column has the wrong type or the account is half present.
 */
export function rowToCredentials(row: CredentialsRow): DeviceCredentials {
  const credentials: DeviceCredentials = {
    noiseKey: { publicKey: bytesOut(row, 'noise_public'), privateKey: bytesOut(row, 'noise_private') },
    identityKey: {
      publicKey: bytesOut(row, 'identity_public'),
      privateKey: bytesOut(row, 'identity_private'),
    },
    registrationId: integerOut(row, 'registration_id'),
    signedPreKey: {
      keyId: integerOut(row, 'signed_pre_key_id'),
      keyPair: {
        publicKey: bytesOut(row, 'signed_pre_key_public'),
        privateKey: bytesOut(row, 'signed_pre_key_private'),
      },
      signature: bytesOut(row, 'signed_pre_key_signature'),
    },
    advSecretKey: bytesOut(row, 'adv_secret_key'),
    nextPreKeyId: integerOut(row, 'next_pre_key_id'),
  };
  const account = accountOut(row);
  if (account) credentials.account = account;
  if (row.routing_info !== null) credentials.routingInfo = bytesOut(row, 'routing_info');
  return credentials;
}

function accountOut(row: CredentialsRow): PairedAccount | undefined {
  const required = [
    row.account_jid,
    row.account_signed_device_identity,
    row.account_signature_key,
    row.account_key_index,
  ];
  const present = required.filter((value) => value !== null).length;
  if (present === 0) {
    const stray = (
      ['account_lid', 'account_platform', 'account_business_name', 'account_push_name'] as const
    ).find((column) => row[column] !== null);
    if (stray) throw new StoreCorruptError(`credentials row has ${stray} but no account`);
    return undefined;
  }
  if (present !== required.length) throw new StoreCorruptError('credentials row has a partial account');
  const account: PairedAccount = {
    jid: textOut(row, 'account_jid'),
    signedDeviceIdentity: bytesOut(row, 'account_signed_device_identity'),
    accountSignatureKey: bytesOut(row, 'account_signature_key'),
    keyIndex: integerOut(row, 'account_key_index'),
  };
  // Optional fields stay absent (not `undefined`-valued) so a round trip is structurally equal.
  if (row.account_lid !== null) account.lid = textOut(row, 'account_lid');
  if (row.account_platform !== null) account.platform = textOut(row, 'account_platform');
  if (row.account_business_name !== null) account.businessName = textOut(row, 'account_business_name');
  if (row.account_push_name !== null) account.pushName = textOut(row, 'account_push_name');
  return account;
}

function bytesIn(field: string, value: unknown): Uint8Array {
  if (!(value instanceof Uint8Array))
    throw new TypeError(`"${field}" expected Uint8Array, got ${typeof value}`);
  return value;
}

function integerIn(field: string, value: unknown): number {
  if (!Number.isSafeInteger(value))
    throw new TypeError(`"${field}" expected a safe integer, got ${String(value)}`);
  return value as number;
}

function textIn(field: string, value: unknown): string {
  if (typeof value !== 'string') throw new TypeError(`"${field}" expected string, got ${typeof value}`);
  return value;
}

function optionalTextIn(field: string, value: unknown): string | null {
  return value === undefined ? null : textIn(field, value);
}

function bytesOut(row: CredentialsRow, column: keyof CredentialsRow): Uint8Array {
  const value = row[column];
  if (!(value instanceof Uint8Array))
    throw new StoreCorruptError(`credentials column ${column} is not a BLOB`);
  return fromBlob(value);
}

function integerOut(row: CredentialsRow, column: keyof CredentialsRow): number {
  const value = row[column];
  if (!Number.isSafeInteger(value))
    throw new StoreCorruptError(`credentials column ${column} is not an integer`);
  return value as number;
}

function textOut(row: CredentialsRow, column: keyof CredentialsRow): string {
  const value = row[column];
  if (typeof value !== 'string') throw new StoreCorruptError(`credentials column ${column} is not TEXT`);
  return value;
}
