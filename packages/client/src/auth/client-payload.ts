/**
 * The ClientPayload a client sends inside the Noise ClientFinish (docs/protocol.md §2.5): a registration
 * payload (keys for the primary to link) before pairing, a login payload (who we are) after.
 */
import { md5 } from '@noble/hashes/legacy.js';
import { isPnUser, parseJid } from '@wakit/binary-node';
import {
  ClientPayload_ConnectReason,
  ClientPayload_ConnectType,
  ClientPayload_UserAgent_Platform,
  ClientPayload_UserAgent_ReleaseChannel,
  ClientPayload_WebInfo_WebSubPlatform,
  ClientPayloadSchema,
  create,
  DevicePropsSchema,
  type MessageInitShape,
  toBinary,
} from '@wakit/proto';
import { DJB_TYPE } from '@wakit/signal';
import { ascii, uintBE } from '../_bytes';
import type { DeviceCredentials } from '../store/store';
import { type BrowserDescription, DEFAULT_BROWSER, devicePlatformType } from './companion-platform';

/**
 * The WhatsApp Web version announced by default: whatsmeow's pin (store/clientpayload.go), the newest
 * of the references' (docs/protocol.md §2.5). The server refuses versions it considers too old with
 * `<failure reason="405">`; pass a newer `version` then.
 */
export const DEFAULT_WA_VERSION: readonly [number, number, number] = [2, 3000, 1045649367];

/** Options of `buildClientPayload`. Every field has a default; most clients set only `browser`. */
export interface ClientPayloadOptions {
  /**
   * Shown to contacts; sent on both payloads when set. Once the account has a stored push name
   * (`credentials.account.pushName`, set by the account module's `setPushName`), that one is sent.
   */
  pushName?: string;
  /** WhatsApp Web version triple (default `DEFAULT_WA_VERSION`). */
  version?: readonly [number, number, number];
  /** `[os, browser]` (default `DEFAULT_BROWSER`); drives DeviceProps.os and platformType. */
  browser?: BrowserDescription;
  /**
   * Login only: connect passive (the server holds the offline queue until the client sends
   * `<active/>`). Default true, as whatsmeow and Baileys (docs/protocol.md §2.5, §7.6).
   */
  passive?: boolean;
  /** Registration only: ask the primary for a full history sync (DeviceProps.requireFullSync). */
  requireFullSync?: boolean;
  /** Name the phone lists the device under (DeviceProps.os); default `browser[0]`, as Baileys. */
  deviceName?: string;
  /** UserAgent locale (defaults `en`, `US`). */
  language?: string;
  country?: string;
  /** Login only: ClientPayload.lc, the login counter (default 1, as whatsmeow). */
  loginCounter?: number;
  /** Login only: ClientPayload.lidDbMigrated (default false, as whatsapp-rust and Baileys). */
  lidDbMigrated?: boolean;
}

/**
 * Registration payload (devicePairingData, docs/protocol.md §2.5) when `credentials.account` is unset,
 * login payload otherwise. Returns the encoded ClientPayload.
 *
 * @example
 * const payload = buildClientPayload(credentials, { browser: ['Windows', 'Edge'] });
 * handshake.finish(payload);
 */
export function buildClientPayload(
  credentials: DeviceCredentials,
  options: ClientPayloadOptions = {},
): Uint8Array {
  const version = options.version ?? DEFAULT_WA_VERSION;
  for (const part of version) {
    if (!Number.isInteger(part) || part < 0 || part > 0xffffffff) {
      throw new RangeError(`"version" expected three uint32 values, got ${JSON.stringify(version)}`);
    }
  }
  // The stored name is the account's current one: the option is the default until one is stored.
  const pushName = credentials.account?.pushName ?? options.pushName;
  const base = basePayload(version, pushName === undefined ? options : { ...options, pushName });
  const payload =
    credentials.account === undefined
      ? { ...base, ...registrationFields(credentials, version, options) }
      : { ...base, ...loginFields(credentials.account.jid, options) };
  return toBinary(ClientPayloadSchema, create(ClientPayloadSchema, payload));
}

// The plain-object half of protobuf-es' init union, so the parts can be spread into one init.
type PayloadInit = Exclude<MessageInitShape<typeof ClientPayloadSchema>, { $typeName: string }>;

/** The fields both payloads share (whatsmeow `BaseClientPayload`, Baileys `getClientPayload`). */
function basePayload(version: readonly [number, number, number], options: ClientPayloadOptions): PayloadInit {
  return {
    userAgent: {
      platform: ClientPayload_UserAgent_Platform.WEB,
      releaseChannel: ClientPayload_UserAgent_ReleaseChannel.RELEASE,
      appVersion: { primary: version[0], secondary: version[1], tertiary: version[2] },
      mcc: '000',
      mnc: '000',
      // "0.1" (W, B) rather than R's "0.1.0": the two-reference majority.
      osVersion: '0.1',
      device: 'Desktop',
      osBuildNumber: '0.1',
      localeLanguageIso6391: options.language ?? 'en',
      localeCountryIso31661Alpha2: options.country ?? 'US',
    },
    webInfo: { webSubPlatform: ClientPayload_WebInfo_WebSubPlatform.WEB_BROWSER },
    connectType: ClientPayload_ConnectType.WIFI_UNKNOWN,
    connectReason: ClientPayload_ConnectReason.USER_ACTIVATED,
    ...(options.pushName === undefined ? {} : { pushName: options.pushName }),
  };
}

function loginFields(jid: string, options: ClientPayloadOptions): PayloadInit {
  const own = parseJid(jid);
  if (!isPnUser(own) || !/^[0-9]+$/.test(own.user)) {
    throw new RangeError(`credentials.account.jid must be a phone-number JID, got ${JSON.stringify(jid)}`);
  }
  return {
    username: BigInt(own.user),
    device: own.device,
    passive: options.passive ?? true,
    pull: true,
    lc: options.loginCounter ?? 1,
    lidDbMigrated: options.lidDbMigrated ?? false,
  };
}

function registrationFields(
  credentials: DeviceCredentials,
  version: readonly [number, number, number],
  options: ClientPayloadOptions,
): PayloadInit {
  const browser = options.browser ?? DEFAULT_BROWSER;
  const deviceProps = create(DevicePropsSchema, {
    os: options.deviceName ?? browser[0],
    // 0.1.0 as whatsmeow and whatsapp-rust; Baileys claims macOS 10.15.7. Nothing checks it.
    version: { primary: 0, secondary: 1, tertiary: 0 },
    platformType: devicePlatformType(browser),
    requireFullSync: options.requireFullSync ?? false,
    // The capability set whatsmeow and whatsapp-rust both advertise (WA Web's static claims).
    historySyncConfig: {
      storageQuotaMb: 10240,
      inlineInitialPayloadInE2EeMsg: true,
      supportCallLogHistory: true,
      supportBotUserAgentChatHistory: true,
      supportCagReactionsAndPolls: true,
      supportBizHostedMsg: true,
      supportRecentSyncChunkMessageCountTuning: true,
      supportHostedGroupMsg: true,
      supportFbidBotChatHistory: true,
      supportMessageAssociation: true,
      supportGroupHistory: true,
    },
  });
  const { signedPreKey } = credentials;
  return {
    passive: false,
    pull: false,
    devicePairingData: {
      eRegid: uintBE(credentials.registrationId, 4),
      eKeytype: Uint8Array.of(DJB_TYPE),
      eIdent: new Uint8Array(credentials.identityKey.publicKey),
      // §2.5: the signed prekey id is 3 bytes, like every prekey id on the wire.
      eSkeyId: uintBE(signedPreKey.keyId, 3),
      eSkeyVal: new Uint8Array(signedPreKey.keyPair.publicKey),
      eSkeySig: new Uint8Array(signedPreKey.signature),
      buildHash: md5(ascii(version.join('.'))),
      deviceProps: toBinary(DevicePropsSchema, deviceProps),
    },
  };
}
