import { createHash } from 'node:crypto';
import { isFieldSet } from '@bufbuild/protobuf';
import { nodeCrypto } from '@wakit/crypto/node';
import {
  ClientPayload_ConnectReason,
  ClientPayload_ConnectType,
  ClientPayload_UserAgent_Platform,
  ClientPayload_UserAgent_ReleaseChannel,
  ClientPayload_WebInfo_WebSubPlatform,
  ClientPayloadSchema,
  DeviceProps_PlatformType,
  DevicePropsSchema,
  fromBinary,
} from '@wakit/proto';
import { generateRegistrationNode } from 'baileys/lib/Utils/validate-connection.js';
import { describe, expect, it } from 'vitest';
import { buildClientPayload, DEFAULT_WA_VERSION } from '../src/auth/client-payload';
import { generateCredentials } from '../src/auth/credentials';
import type { DeviceCredentials } from '../src/store/store';

const crypto = nodeCrypto;
const hex = (bytes: Uint8Array) => Buffer.from(bytes).toString('hex');

function paired(credentials: DeviceCredentials): DeviceCredentials {
  return {
    ...credentials,
    account: {
      jid: '15550102000:23@s.whatsapp.net',
      signedDeviceIdentity: new Uint8Array(10),
      accountSignatureKey: new Uint8Array(32),
      keyIndex: 1,
    },
  };
}

describe('buildClientPayload', () => {
  it('registers an unpaired device: devicePairingData field by field (docs/protocol.md §2.5)', async () => {
    const credentials = await generateCredentials(crypto);
    const payload = fromBinary(
      ClientPayloadSchema,
      buildClientPayload(credentials, { version: [2, 3000, 1023456789], browser: ['Ubuntu', 'Firefox'] }),
    );

    expect(payload.passive).toBe(false);
    expect(payload.pull).toBe(false);
    expect(payload.username).toBe(0n);
    expect(payload.device).toBe(0);
    expect(payload.connectType).toBe(ClientPayload_ConnectType.WIFI_UNKNOWN);
    expect(payload.connectReason).toBe(ClientPayload_ConnectReason.USER_ACTIVATED);
    expect(payload.userAgent).toMatchObject({
      platform: ClientPayload_UserAgent_Platform.WEB,
      releaseChannel: ClientPayload_UserAgent_ReleaseChannel.RELEASE,
      appVersion: { primary: 2, secondary: 3000, tertiary: 1023456789 },
      mcc: '000',
      mnc: '000',
      osVersion: '0.1',
      osBuildNumber: '0.1',
      device: 'Desktop',
      localeLanguageIso6391: 'en',
      localeCountryIso31661Alpha2: 'US',
    });
    expect(payload.webInfo?.webSubPlatform).toBe(ClientPayload_WebInfo_WebSubPlatform.WEB_BROWSER);

    const data = payload.devicePairingData!;
    expect(data.buildHash).toEqual(new Uint8Array(createHash('md5').update('2.3000.1023456789').digest()));
    const reg = credentials.registrationId;
    expect(data.eRegid).toEqual(
      Uint8Array.of(reg >>> 24, (reg >>> 16) & 0xff, (reg >>> 8) & 0xff, reg & 0xff),
    );
    expect(data.eKeytype).toEqual(Uint8Array.of(0x05));
    expect(data.eIdent).toEqual(credentials.identityKey.publicKey);
    expect(data.eSkeyId).toEqual(Uint8Array.of(0, 0, 1)); // 3 bytes BE
    expect(data.eSkeyVal).toEqual(credentials.signedPreKey.keyPair.publicKey);
    expect(data.eSkeySig).toEqual(credentials.signedPreKey.signature);
    expect(data.eSkeySig).toHaveLength(64);

    const props = fromBinary(DevicePropsSchema, data.deviceProps);
    expect(props.os).toBe('Ubuntu');
    expect(props.platformType).toBe(DeviceProps_PlatformType.FIREFOX);
    expect(props.requireFullSync).toBe(false);
    expect(props.historySyncConfig?.storageQuotaMb).toBe(10240);
    expect(props.historySyncConfig?.inlineInitialPayloadInE2EeMsg).toBe(true);
  });

  it('writes passive=false and pull=false explicitly (present on the wire, not defaulted)', async () => {
    const credentials = await generateCredentials(crypto);
    const payload = fromBinary(ClientPayloadSchema, buildClientPayload(credentials));
    expect(isFieldSet(payload, ClientPayloadSchema.field.passive)).toBe(true);
    expect(isFieldSet(payload, ClientPayloadSchema.field.pull)).toBe(true);
    expect(isFieldSet(payload, ClientPayloadSchema.field.username)).toBe(false);
    expect(isFieldSet(payload, ClientPayloadSchema.field.device)).toBe(false);
  });

  it('logs in a paired device: username, device, passive, pull, lc; no pairing data', async () => {
    const credentials = paired(await generateCredentials(crypto));
    const payload = fromBinary(ClientPayloadSchema, buildClientPayload(credentials, { pushName: 'Bot' }));
    expect(payload.username).toBe(15550102000n);
    expect(payload.device).toBe(23);
    expect(payload.passive).toBe(true);
    expect(payload.pull).toBe(true);
    expect(payload.lc).toBe(1);
    expect(payload.lidDbMigrated).toBe(false);
    expect(payload.pushName).toBe('Bot');
    expect(payload.devicePairingData).toBeUndefined();
    expect(payload.userAgent?.appVersion).toMatchObject({
      primary: DEFAULT_WA_VERSION[0],
      secondary: DEFAULT_WA_VERSION[1],
      tertiary: DEFAULT_WA_VERSION[2],
    });

    const active = fromBinary(ClientPayloadSchema, buildClientPayload(credentials, { passive: false }));
    expect(active.passive).toBe(false);
  });

  it('refuses a version that is not three uint32s, and a LID-only account', async () => {
    const credentials = await generateCredentials(crypto);
    expect(() => buildClientPayload(credentials, { version: [2, -1, 3] })).toThrow(RangeError);
    expect(() => buildClientPayload(credentials, { version: [2, 1.5, 3] })).toThrow(RangeError);
    const lid = paired(credentials);
    lid.account!.jid = '8123:4@lid';
    expect(() => buildClientPayload(lid)).toThrow(RangeError);
  });

  it("agrees with Baileys' generateRegistrationNode on every key field", async () => {
    const credentials = await generateCredentials(crypto);
    const version: [number, number, number] = [2, 3000, 1035194821];
    const ours = fromBinary(
      ClientPayloadSchema,
      buildClientPayload(credentials, { version, browser: ['Mac OS', 'Chrome'] }),
    );
    const theirs = generateRegistrationNode(
      {
        registrationId: credentials.registrationId,
        signedPreKey: {
          keyId: credentials.signedPreKey.keyId,
          keyPair: {
            public: Buffer.from(credentials.signedPreKey.keyPair.publicKey),
            private: Buffer.from(credentials.signedPreKey.keyPair.privateKey),
          },
          signature: Buffer.from(credentials.signedPreKey.signature),
        },
        signedIdentityKey: {
          public: Buffer.from(credentials.identityKey.publicKey),
          private: Buffer.from(credentials.identityKey.privateKey),
        },
      },
      {
        version,
        browser: ['Mac OS', 'Chrome', '14.4.1'],
        countryCode: 'US',
        syncFullHistory: false,
      } as never,
    );
    const a = ours.devicePairingData!;
    const b = theirs.devicePairingData!;
    for (const field of [
      'eRegid',
      'eKeytype',
      'eIdent',
      'eSkeyId',
      'eSkeyVal',
      'eSkeySig',
      'buildHash',
    ] as const) {
      expect(hex(a[field]), field).toBe(hex(b[field] as Uint8Array));
    }
    expect(ours.passive).toBe(theirs.passive);
    expect(ours.pull).toBe(theirs.pull);
    const theirProps = fromBinary(DevicePropsSchema, new Uint8Array(b.deviceProps as Uint8Array));
    const ourProps = fromBinary(DevicePropsSchema, a.deviceProps);
    expect(ourProps.os).toBe(theirProps.os);
    expect(ourProps.platformType).toBe(theirProps.platformType);
  });
});
