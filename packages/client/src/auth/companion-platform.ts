/**
 * How a companion names itself while pairing: the one-character client type in the QR string and
 * the pair-code `companion_platform_id`, the "Browser (OS)" display string, and the DeviceProps
 * platform type of the registration payload. All three derive from one `[os, browser]` pair, as in
 * Baileys' `browser` option, so a client cannot announce itself inconsistently.
 */
import { DeviceProps_PlatformType } from '@wakit/proto';

/** `[os, browser]`, e.g. `['Mac OS', 'Chrome']`. The server validates both in pair-code displays. */
export type BrowserDescription = readonly [os: string, browser: string];

/** What wakit announces unless told otherwise: a common, server-accepted combination. */
export const DEFAULT_BROWSER: BrowserDescription = ['Mac OS', 'Chrome'];

// docs/protocol.md §5.2: CompanionWebClientType wire characters (WA Web; same in W, R and B).
const CLIENT_TYPE: Readonly<Record<string, string>> = {
  Chrome: '1',
  Edge: '2',
  Firefox: '3',
  IE: '4',
  Opera: '5',
  Safari: '6',
};
const OTHER_WEB_CLIENT = '9';

const PLATFORM_TYPE: Readonly<Record<string, DeviceProps_PlatformType>> = {
  Chrome: DeviceProps_PlatformType.CHROME,
  Edge: DeviceProps_PlatformType.EDGE,
  Firefox: DeviceProps_PlatformType.FIREFOX,
  IE: DeviceProps_PlatformType.IE,
  Opera: DeviceProps_PlatformType.OPERA,
  Safari: DeviceProps_PlatformType.SAFARI,
  Desktop: DeviceProps_PlatformType.DESKTOP,
  Android: DeviceProps_PlatformType.ANDROID_PHONE,
};

/**
 * The client-type character for a browser: `1`–`6` for the six known browsers, `8` (UWP) for a
 * Windows desktop app, `7` (Electron) for other desktop apps, `9` (other web client) otherwise.
 * The desktop split is Baileys' (`getCompanionWebClientType`).
 */
export function companionPlatformId([os, browser]: BrowserDescription): string {
  if (browser === 'Desktop') return os === 'Windows' ? '8' : '7';
  return Object.hasOwn(CLIENT_TYPE, browser) ? CLIENT_TYPE[browser]! : OTHER_WEB_CLIENT;
}

/** `Browser (OS)`, the only display format the server accepts (whatsmeow `PairPhone` docs). */
export function companionPlatformDisplay([os, browser]: BrowserDescription): string {
  return `${browser} (${os})`;
}

/** DeviceProps.platformType for a browser; UNKNOWN for names WhatsApp has no value for. */
export function devicePlatformType([, browser]: BrowserDescription): DeviceProps_PlatformType {
  return Object.hasOwn(PLATFORM_TYPE, browser) ? PLATFORM_TYPE[browser]! : DeviceProps_PlatformType.UNKNOWN;
}
