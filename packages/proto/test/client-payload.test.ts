import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  ClientPayload_ConnectReason,
  ClientPayload_ConnectType,
  ClientPayload_DevicePairingRegistrationDataSchema,
  ClientPayload_UserAgent_AppVersionSchema,
  ClientPayload_UserAgent_Platform,
  ClientPayload_UserAgent_ReleaseChannel,
  ClientPayload_UserAgentSchema,
  ClientPayload_WebInfo_WebSubPlatform,
  ClientPayload_WebInfoSchema,
  ClientPayloadSchema,
  create,
  DeviceProps_PlatformType,
  DevicePropsSchema,
} from '../src/index.ts';
import { arbitraryMessage } from './arbitrary.ts';
import { assertRoundTrip } from './round-trip.ts';
import { encodeHex } from './vectors.ts';

const one = new Uint8Array(1);

describe('ClientPayload (docs/protocol.md §2.5)', () => {
  it('round-trips any ClientPayload that carries a UserAgent, WebInfo and pairing data', () => {
    // The generic arbitrary picks a few fields at random; these three are what a real registration
    // payload always has, so they are set on every sample.
    const payloads = fc
      .tuple(
        arbitraryMessage(ClientPayloadSchema),
        arbitraryMessage(ClientPayload_UserAgentSchema),
        arbitraryMessage(ClientPayload_WebInfoSchema),
        arbitraryMessage(ClientPayload_DevicePairingRegistrationDataSchema),
      )
      .map(([payload, userAgent, webInfo, devicePairingData]) =>
        create(ClientPayloadSchema, { ...payload, userAgent, webInfo, devicePairingData }),
      );
    assertRoundTrip(ClientPayloadSchema, payloads);
  });

  it('round-trips any DeviceProps', () => {
    assertRoundTrip(DevicePropsSchema, arbitraryMessage(DevicePropsSchema));
  });

  it.each([
    ['username = 1', encodeHex(ClientPayloadSchema, { username: 1n }), '0801'],
    ['passive = 3', encodeHex(ClientPayloadSchema, { passive: true }), '1801'],
    ['userAgent = 5', encodeHex(ClientPayloadSchema, { userAgent: {} }), '2a00'],
    ['webInfo = 6', encodeHex(ClientPayloadSchema, { webInfo: {} }), '3200'],
    ['pushName = 7', encodeHex(ClientPayloadSchema, { pushName: 'a' }), '3a0161'],
    ['sessionId = 9, sfixed32', encodeHex(ClientPayloadSchema, { sessionId: 1 }), '4d01000000'],
    ['shortConnect = 10', encodeHex(ClientPayloadSchema, { shortConnect: true }), '5001'],
    [
      'connectType = 12 (WIFI_UNKNOWN = 1)',
      encodeHex(ClientPayloadSchema, { connectType: ClientPayload_ConnectType.WIFI_UNKNOWN }),
      '6001',
    ],
    [
      'connectReason = 13 (USER_ACTIVATED = 1)',
      encodeHex(ClientPayloadSchema, { connectReason: ClientPayload_ConnectReason.USER_ACTIVATED }),
      '6801',
    ],
    // proto2 repeated scalars without [packed = true] are one tag per element.
    ['shards = 14, unpacked', encodeHex(ClientPayloadSchema, { shards: [1, 2] }), '70017002'],
    ['connectAttemptCount = 16', encodeHex(ClientPayloadSchema, { connectAttemptCount: 1 }), '800101'],
    ['device = 18', encodeHex(ClientPayloadSchema, { device: 1 }), '900101'],
    ['devicePairingData = 19', encodeHex(ClientPayloadSchema, { devicePairingData: {} }), '9a0100'],
    ['fbCat = 21', encodeHex(ClientPayloadSchema, { fbCat: one }), 'aa010100'],
    ['fbUserAgent = 22', encodeHex(ClientPayloadSchema, { fbUserAgent: one }), 'b2010100'],
    ['oc = 23', encodeHex(ClientPayloadSchema, { oc: true }), 'b80101'],
    ['lc = 24', encodeHex(ClientPayloadSchema, { lc: 1 }), 'c00101'],
    ['pull = 33', encodeHex(ClientPayloadSchema, { pull: true }), '880201'],
    ['paddingBytes = 34', encodeHex(ClientPayloadSchema, { paddingBytes: one }), '92020100'],
    ['interopData = 38', encodeHex(ClientPayloadSchema, { interopData: {} }), 'b20200'],
    ['lidDbMigrated = 41', encodeHex(ClientPayloadSchema, { lidDbMigrated: true }), 'c80201'],
    ['accountType = 42', encodeHex(ClientPayloadSchema, { accountType: 1 }), 'd00201'],
  ])('encodes ClientPayload.%s with the field number of the spec', (_field, actual, expected) => {
    expect(actual).toBe(expected);
  });

  it.each([
    [
      'platform = 1 (WEB = 14)',
      encodeHex(ClientPayload_UserAgentSchema, { platform: ClientPayload_UserAgent_Platform.WEB }),
      '080e',
    ],
    [
      'platform = 1 (MACOS = 24)',
      encodeHex(ClientPayload_UserAgentSchema, { platform: ClientPayload_UserAgent_Platform.MACOS }),
      '0818',
    ],
    ['appVersion = 2', encodeHex(ClientPayload_UserAgentSchema, { appVersion: { primary: 2 } }), '12020802'],
    ['mcc = 3', encodeHex(ClientPayload_UserAgentSchema, { mcc: '0' }), '1a0130'],
    ['mnc = 4', encodeHex(ClientPayload_UserAgentSchema, { mnc: '0' }), '220130'],
    ['osVersion = 5', encodeHex(ClientPayload_UserAgentSchema, { osVersion: '0' }), '2a0130'],
    ['device = 7', encodeHex(ClientPayload_UserAgentSchema, { device: 'D' }), '3a0144'],
    ['osBuildNumber = 8', encodeHex(ClientPayload_UserAgentSchema, { osBuildNumber: '0' }), '420130'],
    [
      'releaseChannel = 10 (RELEASE = 0)',
      encodeHex(ClientPayload_UserAgentSchema, {
        releaseChannel: ClientPayload_UserAgent_ReleaseChannel.RELEASE,
      }),
      '5000',
    ],
    [
      'localeLanguageIso6391 = 11',
      encodeHex(ClientPayload_UserAgentSchema, { localeLanguageIso6391: 'e' }),
      '5a0165',
    ],
    [
      'localeCountryIso31661Alpha2 = 12',
      encodeHex(ClientPayload_UserAgentSchema, { localeCountryIso31661Alpha2: 'U' }),
      '620155',
    ],
    ['AppVersion.quinary = 5', encodeHex(ClientPayload_UserAgent_AppVersionSchema, { quinary: 1 }), '2801'],
  ])('encodes UserAgent.%s with the field number of the spec', (_field, actual, expected) => {
    expect(actual).toBe(expected);
  });

  it.each([
    ['refToken = 1', encodeHex(ClientPayload_WebInfoSchema, { refToken: 'r' }), '0a0172'],
    ['version = 2', encodeHex(ClientPayload_WebInfoSchema, { version: 'v' }), '120176'],
    [
      'webSubPlatform = 4 (WEB_BROWSER = 0)',
      encodeHex(ClientPayload_WebInfoSchema, {
        webSubPlatform: ClientPayload_WebInfo_WebSubPlatform.WEB_BROWSER,
      }),
      '2000',
    ],
    [
      'webSubPlatform = 4 (DARWIN = 3)',
      encodeHex(ClientPayload_WebInfoSchema, { webSubPlatform: ClientPayload_WebInfo_WebSubPlatform.DARWIN }),
      '2003',
    ],
    [
      'webSubPlatform = 4 (WIN32 = 4)',
      encodeHex(ClientPayload_WebInfoSchema, { webSubPlatform: ClientPayload_WebInfo_WebSubPlatform.WIN32 }),
      '2004',
    ],
  ])('encodes WebInfo.%s with the field number of the spec', (_field, actual, expected) => {
    expect(actual).toBe(expected);
  });

  it.each([
    ['eRegid', 1, '0a'],
    ['eKeytype', 2, '12'],
    ['eIdent', 3, '1a'],
    ['eSkeyId', 4, '22'],
    ['eSkeyVal', 5, '2a'],
    ['eSkeySig', 6, '32'],
    ['buildHash', 7, '3a'],
    ['deviceProps', 8, '42'],
  ] as const)('encodes DevicePairingRegistrationData.%s as field %i', (field, _number, tag) => {
    expect(encodeHex(ClientPayload_DevicePairingRegistrationDataSchema, { [field]: one })).toBe(`${tag}0100`);
  });

  it.each([
    ['os = 1', encodeHex(DevicePropsSchema, { os: 'w' }), '0a0177'],
    ['version = 2', encodeHex(DevicePropsSchema, { version: {} }), '1200'],
    [
      'platformType = 3 (CHROME = 1)',
      encodeHex(DevicePropsSchema, { platformType: DeviceProps_PlatformType.CHROME }),
      '1801',
    ],
    [
      'platformType = 3 (DESKTOP = 7)',
      encodeHex(DevicePropsSchema, { platformType: DeviceProps_PlatformType.DESKTOP }),
      '1807',
    ],
    [
      'platformType = 3 (ANDROID_PHONE = 16)',
      encodeHex(DevicePropsSchema, { platformType: DeviceProps_PlatformType.ANDROID_PHONE }),
      '1810',
    ],
    [
      'platformType = 3 (UWP = 21)',
      encodeHex(DevicePropsSchema, { platformType: DeviceProps_PlatformType.UWP }),
      '1815',
    ],
    ['requireFullSync = 4', encodeHex(DevicePropsSchema, { requireFullSync: true }), '2001'],
    ['historySyncConfig = 5', encodeHex(DevicePropsSchema, { historySyncConfig: {} }), '2a00'],
  ])('encodes DeviceProps.%s with the field number of the spec', (_field, actual, expected) => {
    expect(actual).toBe(expected);
  });
});
