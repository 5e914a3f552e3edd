/**
 * Completing a pairing (docs/protocol.md §5.3). The server relays the primary's `<pair-success>`: an
 * ADVSignedDeviceIdentityHMAC whose HMAC is keyed with the ADV secret the primary learned from the
 * QR code (or derived in the pair-code exchange), wrapping the primary's account signature over our
 * identity key. We check both, countersign with our identity key, and answer `<pair-device-sign>`.
 * The server then ends the stream (code 515) and the client reconnects with the login payload.
 *
 * Where the references disagree (docs/protocol.md §5.3 DISAGREE), this follows whatsmeow and Baileys,
 * the majority §13 recommends: (a) the HMAC prefix comes from the container's accountType, the
 * account-signature prefix from ADVDeviceIdentity.deviceType, and the device signature always uses
 * `06 01` (whatsapp-rust takes both from the container and signs hosted devices with `06 06`);
 * (b) the `pair-device-sign` copy leaves out accountSignatureKey (whatsapp-rust sends it).
 */
import {
  type BinaryNode,
  getBinaryContent,
  getChild,
  isLidUser,
  isPnUser,
  tryParseJid,
} from '@wakit/binary-node';
import type { CryptoProvider } from '@wakit/crypto';
import {
  ADVDeviceIdentitySchema,
  ADVEncryptionType,
  ADVSignedDeviceIdentityHMACSchema,
  ADVSignedDeviceIdentitySchema,
  type ClientPairingProps,
  ClientPairingPropsSchema,
  clone,
  fromBinary,
  toBinary,
} from '@wakit/proto';
import { concatBytes, constantTimeEqual } from '../_bytes';
import { PairingError, type PairingFailure } from '../errors';
import type { DeviceCredentials, PairedAccount } from '../store/store';
import { SERVER } from './_stanza';

/** Prefix of the account signature (and nothing else) for ordinary accounts. */
export const ADV_ACCOUNT_SIGNATURE_PREFIX: Uint8Array = /* @__PURE__ */ Uint8Array.of(6, 0);
/** Prefix of the device signature. */
export const ADV_DEVICE_SIGNATURE_PREFIX: Uint8Array = /* @__PURE__ */ Uint8Array.of(6, 1);
/** Prefix of the HMAC input and the account signature for hosted (Cloud API) accounts. */
export const ADV_HOSTED_ACCOUNT_SIGNATURE_PREFIX: Uint8Array = /* @__PURE__ */ Uint8Array.of(6, 5);

const ERROR_CODE: Readonly<Record<PairingFailure, string>> = {
  'hmac-mismatch': '401',
  'signature-mismatch': '401',
  'internal-error': '500',
};

/** What `handlePairSuccess` returns. */
export interface PairSuccessResult {
  /** `<iq type="result"><pair-device-sign>`, to send as is. */
  reply: BinaryNode;
  /** The input credentials with `account` set (a new object). */
  credentials: DeviceCredentials;
  /** The primary's `<client-props>`, when present and decodable (advisory; never fails pairing). */
  clientProps?: ClientPairingProps;
}

/**
 * Verifies the HMAC (ADV secret) and the account signature, makes the device signature; returns
 * the `pair-device-sign` reply and credentials with `account` set. Nothing is mutated.
 *
 * @throws PairingError whose `reply` is the error IQ to send: 401 `hmac-mismatch` /
 *   `signature-mismatch`, 500 `internal-error` for anything malformed.
 *
 * @example
 * try {
 *   const { reply, credentials: paired } = await handlePairSuccess(iq, credentials, crypto);
 *   await store.saveCredentials(paired);
 *   await send(reply);
 * } catch (error) {
 *   if (isPairingError(error) && error.reply) await send(error.reply);
 *   throw error;
 * }
 */
export async function handlePairSuccess(
  iq: BinaryNode,
  credentials: DeviceCredentials,
  crypto: CryptoProvider,
): Promise<PairSuccessResult> {
  const id = optionalAttr(iq, 'id');
  const fail = (reason: PairingFailure, message: string, cause?: unknown): PairingError =>
    new PairingError(
      `pair-success refused: ${message}`,
      reason,
      id === undefined ? undefined : pairErrorReply(id, reason),
      { cause },
    );

  if (id === undefined) throw fail('internal-error', 'the iq has no id');
  const pairSuccess = getChild(iq, 'pair-success');
  if (pairSuccess === undefined) throw fail('internal-error', 'no <pair-success> child');
  const identityNode = getChild(pairSuccess, 'device-identity');
  const containerBytes = identityNode === undefined ? undefined : getBinaryContent(identityNode);
  if (containerBytes === undefined) throw fail('internal-error', 'no <device-identity> bytes');
  const device = getChild(pairSuccess, 'device');
  const jid = optionalAttr(device, 'jid');
  const jidParts = jid === undefined ? undefined : tryParseJid(jid);
  if (jid === undefined || jidParts === undefined || !isPnUser(jidParts) || jidParts.device === 0) {
    throw fail('internal-error', `<device jid> is not a companion phone-number JID: ${JSON.stringify(jid)}`);
  }
  const lid = optionalAttr(device, 'lid');
  const lidParts = lid === undefined ? undefined : tryParseJid(lid);
  if (lid !== undefined && (lidParts === undefined || !isLidUser(lidParts))) {
    throw fail('internal-error', `<device lid> is not a LID JID: ${JSON.stringify(lid)}`);
  }

  // Step 1: the container's HMAC, keyed with the ADV secret only we and the primary know.
  let container: ReturnType<typeof decodeContainer>;
  try {
    container = decodeContainer(containerBytes);
  } catch (error) {
    throw fail('internal-error', 'the device-identity container does not decode', error);
  }
  if (container.details.length === 0 || container.hmac.length !== 32) {
    throw fail('internal-error', 'the device-identity container lacks details or a 32-byte hmac');
  }
  const hosted = container.accountType === ADVEncryptionType.HOSTED;
  const mac = await crypto.hmac(
    'sha256',
    credentials.advSecretKey,
    hosted ? concatBytes(ADV_HOSTED_ACCOUNT_SIGNATURE_PREFIX, container.details) : container.details,
  );
  if (!constantTimeEqual(mac, container.hmac))
    throw fail('hmac-mismatch', 'the HMAC does not match the ADV secret');

  // Step 2: the primary's signature over the device identity and our identity key.
  let signed: ReturnType<typeof decodeSigned>;
  let identity: ReturnType<typeof decodeIdentity>;
  try {
    signed = decodeSigned(container.details);
    identity = decodeIdentity(signed.details);
  } catch (error) {
    throw fail('internal-error', 'the signed device identity does not decode', error);
  }
  const ownIdentity = credentials.identityKey.publicKey;
  const accountKey = signed.accountSignatureKey;
  if (accountKey.length !== 32 || signed.accountSignature.length !== 64) {
    // whatsmeow: wrong lengths fail the signature check, not the parse.
    throw fail('signature-mismatch', 'the account signature key or signature has the wrong length');
  }
  const accountPrefix =
    identity.deviceType === ADVEncryptionType.HOSTED
      ? ADV_HOSTED_ACCOUNT_SIGNATURE_PREFIX
      : ADV_ACCOUNT_SIGNATURE_PREFIX;
  const accountMessage = concatBytes(accountPrefix, signed.details, ownIdentity);
  if (!(await crypto.verify(accountKey, accountMessage, signed.accountSignature))) {
    throw fail('signature-mismatch', 'the account signature does not verify');
  }

  // Step 3: our countersignature.
  const deviceSignature = await crypto.sign(
    credentials.identityKey.privateKey,
    concatBytes(ADV_DEVICE_SIGNATURE_PREFIX, signed.details, ownIdentity, accountKey),
  );
  const countersigned = clone(ADVSignedDeviceIdentitySchema, signed);
  countersigned.deviceSignature = deviceSignature;
  // Kept whole: the account key is what peers check our device identity against in pkmsg stanzas.
  const signedDeviceIdentity = toBinary(ADVSignedDeviceIdentitySchema, countersigned);
  const sent = clone(ADVSignedDeviceIdentitySchema, countersigned);
  // Clearing a proto2 field is deleting its own property (protobuf-es `unsafeClear`); an empty
  // array would still be encoded as a present, empty field 2.
  Reflect.deleteProperty(sent, 'accountSignatureKey');

  const account: PairedAccount = {
    jid,
    lid,
    platform: optionalAttr(getChild(pairSuccess, 'platform'), 'name'),
    businessName: optionalAttr(getChild(pairSuccess, 'biz'), 'name'),
    signedDeviceIdentity,
    accountSignatureKey: new Uint8Array(accountKey),
    keyIndex: identity.keyIndex,
  };
  const reply: BinaryNode = {
    tag: 'iq',
    attrs: { to: SERVER, type: 'result', id },
    content: [
      {
        tag: 'pair-device-sign',
        attrs: {},
        content: [
          {
            tag: 'device-identity',
            attrs: { 'key-index': String(identity.keyIndex) },
            content: toBinary(ADVSignedDeviceIdentitySchema, sent),
          },
        ],
      },
    ],
  };
  const clientProps = decodeClientProps(pairSuccess);
  return {
    reply,
    credentials: { ...credentials, account },
    ...(clientProps === undefined ? {} : { clientProps }),
  };
}

/** `<iq type="error"><error code text/></iq>` answering pair-success `id` (code 401 or 500 by reason). */
export function pairErrorReply(id: string, reason: PairingFailure): BinaryNode {
  return {
    tag: 'iq',
    attrs: { to: SERVER, type: 'error', id },
    content: [{ tag: 'error', attrs: { code: ERROR_CODE[reason], text: reason } }],
  };
}

function decodeContainer(bytes: Uint8Array) {
  return fromBinary(ADVSignedDeviceIdentityHMACSchema, bytes);
}

function decodeSigned(bytes: Uint8Array) {
  return fromBinary(ADVSignedDeviceIdentitySchema, bytes);
}

function decodeIdentity(bytes: Uint8Array) {
  return fromBinary(ADVDeviceIdentitySchema, bytes);
}

/** An attribute of a node that may be missing, read without trusting the node's shape. */
function optionalAttr(node: BinaryNode | undefined, key: string): string | undefined {
  const attrs: unknown = node?.attrs;
  if (typeof attrs !== 'object' || attrs === null || !Object.hasOwn(attrs, key)) return undefined;
  const value: unknown = (attrs as Record<string, unknown>)[key];
  return typeof value === 'string' ? value : undefined;
}

// whatsapp-rust: the props are advisory; a malformed payload counts as absent.
function decodeClientProps(pairSuccess: BinaryNode): ClientPairingProps | undefined {
  const node = getChild(pairSuccess, 'client-props');
  const bytes = node === undefined ? undefined : getBinaryContent(node);
  if (bytes === undefined) return undefined;
  try {
    return fromBinary(ClientPairingPropsSchema, bytes);
  } catch {
    return undefined;
  }
}
